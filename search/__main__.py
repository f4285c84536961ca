"""Run the command line as ``python -m search``."""

from search.cli import main

main()
