"""Priority rules BL406-BL407: does the priority match the calendar?

A due date close at a low priority, or a top priority nobody has touched for a long time.
Ranks and levels as in :mod:`backlint.rules.priority.consistency`.
"""

from __future__ import annotations

from datetime import date, datetime

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.priority.consistency import is_low, rank_of, scale_of


def _days(later: date, earlier: date) -> int:
    return (later - earlier).days


@rule(
    "BL406",
    "due-soon-at-low-priority",
    family="priority",
    severity="warning",
    options={"days": 7, "low_levels": 2},
)
def due_soon_at_low_priority(ticket, ctx):
    """What: An open ticket is due within `days` days (or overdue) but sits at a low priority.

    Why: A deadline the priority ignores is a deadline that gets missed: planning looks at
    priority, not at due dates.

    Example: "Renew the Apple Pay merchant identity certificate", due in 3 days, at Lowest.

    Fix: Raise the priority to match the deadline, or move the due date if it is not real.

    Options: `days` is the look-ahead window; `low_levels` as for BL403.
    """
    if not ticket.is_open or ticket.due is None or ticket.priority is None:
        return
    scale = scale_of(ctx.settings)
    if not is_low(rank_of(ticket.priority, scale), scale, ctx.options["low_levels"]):
        return
    left = _days(ticket.due, ctx.now.date())
    if left <= ctx.options["days"]:
        when = f"overdue since {ticket.due}" if left < 0 else f"due {ticket.due} (in {left} days)"
        yield (
            f"This ticket is {when} but its priority is {ticket.priority.name}; raise the "
            "priority or move the due date."
        )


@rule(
    "BL407",
    "top-priority-untouched",
    family="priority",
    severity="warning",
    options={"days": 30, "top_levels": 1},
)
def top_priority_untouched(ticket, ctx):
    """What: An open ticket at the top priority has not been updated for `days` days.

    Why: Top priority means "do this first". A month without a change means it is not being
    worked on, so either the priority is wrong or the work is stuck.

    Example: "Request SCA step-up for EU baskets" at Highest, last updated in June.

    Fix: Start it, or lower the priority to what it really is; if it is blocked, link the
    blocker.

    Options: `days` is how long without an update counts; `top_levels` as for BL405.
    """
    if not ticket.is_open or ticket.priority is None or ticket.updated is None:
        return
    scale = scale_of(ctx.settings)
    rank = rank_of(ticket.priority, scale)
    if rank is None or rank >= ctx.options["top_levels"]:
        return
    now: datetime = ctx.now
    idle = (now - ticket.updated).days if ticket.updated.tzinfo else None
    if idle is None:
        idle = (now.replace(tzinfo=None) - ticket.updated).days
    if idle >= ctx.options["days"]:
        yield (
            f"This ticket is {ticket.priority.name} but has not changed for {idle} days (since "
            f"{ticket.updated.date()}); start it or lower its priority."
        )


@hookimpl
def register_rules(register):
    """Register the priority rules BL406-BL407."""
    register(due_soon_at_low_priority)
    register(top_priority_untouched)
