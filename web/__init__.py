"""The web surfaces: employee search page, JSON API and Slack command (Flask)."""

from web.app import create_app

__all__ = ["create_app"]
