"""``python -m backlint`` runs the command line."""

from backlint.cli.main import main

main()
