"""backlint: a linter for backlogs.

Tickets come from a tracker adapter, hygiene rules judge them, reporters show the findings and the
write-back planner turns them into one comment and a few labels per ticket.

The plugin API is importable from the package itself::

    from backlint import Finding, Severity, Ticket, Violation, hookimpl, rule
"""

__version__ = "0.1.0"

from backlint.engine.rule import RuleContext, Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Finding, Severity, Ticket

__all__ = [
    "Finding",
    "RuleContext",
    "Severity",
    "Ticket",
    "Violation",
    "__version__",
    "hookimpl",
    "rule",
]
