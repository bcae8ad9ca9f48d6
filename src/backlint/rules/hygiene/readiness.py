"""Hygiene rules (BL5xx), readiness: is the sprint's work estimated, and on the team's scale?"""

from __future__ import annotations

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl

#: The usual planning-poker scale (modified Fibonacci).
FIBONACCI_SCALE = [0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100]


@rule(
    "BL506",
    "unestimated-in-active-sprint",
    family="hygiene",
    severity="warning",
    options={
        "kinds": ["story", "feature", "task", "bug"],
        "categories": ["todo", "in_progress"],
    },
)
def unestimated_in_active_sprint(ticket, ctx):
    """What: A story (or another kind in `kinds`) is in the sprint that is running now and is not
    done, but has no estimate (story points).

    Why: The sprint was planned against the team's capacity; work without an estimate is work the
    plan did not count. It also makes velocity and the burndown wrong.

    Example: SHOP-228 "Express checkout buttons in the mini-cart flyout" is in the active sprint
    147 with no story points.

    Fix: Estimate it with the team, or take it out of the sprint until it can be estimated.

    Options: `kinds` (story, feature, task, bug) are the kinds that need an estimate;
    `categories` (todo, in_progress) are the status categories checked.
    """
    if (
        ticket.sprint_state == "active"
        and ticket.estimate is None
        and ticket.kind in ctx.options["kinds"]
        and ticket.status_category in ctx.options["categories"]
    ):
        sprint = f" {ticket.sprint}" if ticket.sprint else ""
        yield (
            f"This {ticket.kind} is in the active sprint{sprint} but has no estimate; estimate "
            "it or take it out of the sprint."
        )


def _show(number: float) -> str:
    return f"{number:g}"


@rule(
    "BL507",
    "estimate-off-scale",
    family="hygiene",
    severity="warning",
    options={"scale": list(FIBONACCI_SCALE)},
)
def estimate_off_scale(ticket, ctx):
    """What: The ticket's estimate is not a value on the team's estimation scale (by default
    the planning-poker Fibonacci scale 0, ½, 1, 2, 3, 5, 8, 13, 20, 40, 100).

    Why: Estimates are relative sizes; a 7 on a Fibonacci team means someone split the
    difference instead of having the conversation, and it skews velocity and comparisons.

    Example: SHOP-217 "Wallet payment sheet offers only shipping methods valid for the address"
    is estimated at 7 points.

    Fix: Re-estimate with the team to a value on the scale (5 or 8 here), or split the ticket.

    Options: `scale` lists the allowed values; an empty list turns the rule off.
    """
    scale = [float(value) for value in ctx.options["scale"]]
    if not scale or ticket.estimate is None:
        return
    if any(abs(ticket.estimate - value) < 1e-9 for value in scale):
        return
    below = [value for value in scale if value < ticket.estimate]
    above = [value for value in scale if value > ticket.estimate]
    neighbours = [v for v in (max(below, default=None), min(above, default=None)) if v is not None]
    nearest = " or ".join(_show(v) for v in neighbours)
    yield (
        f"The estimate {_show(ticket.estimate)} is not on the team's scale "
        f"({', '.join(_show(v) for v in scale)}); re-estimate to {nearest}."
    )


@hookimpl
def register_rules(register):
    register(unestimated_in_active_sprint)
    register(estimate_off_scale)
