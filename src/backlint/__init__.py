"""backlint: a linter for backlogs.

Tickets come from a tracker adapter, hygiene rules judge them, reporters show the findings and the
write-back planner turns them into one comment and a few labels per ticket.
"""

__version__ = "0.1.0"

# The marker plugins decorate their hook functions with (``from backlint import hookimpl``).
from backlint.hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]
