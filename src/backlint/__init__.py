"""backlint: a linter for backlogs.

Tickets come from a tracker adapter, hygiene rules judge them, reporters show the findings and the
write-back planner turns them into one comment and a few labels per ticket.
"""

__version__ = "0.1.0"

from backlint.engine.rule import Violation, rule
from backlint.hookspecs import hookimpl

__all__ = ["Violation", "__version__", "hookimpl", "rule"]
