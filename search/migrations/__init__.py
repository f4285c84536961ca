"""Alembic migrations of the canonical store, packaged so an installed socialsearch can run them."""
