"""``python -m backlint`` runs the command line."""

from backlint.cli import main

main()
