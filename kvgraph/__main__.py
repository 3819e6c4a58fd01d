"""`python -m kvgraph` runs the command line."""

from .cli import main

main()
