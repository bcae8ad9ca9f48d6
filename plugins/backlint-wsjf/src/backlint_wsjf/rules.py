"""The WSJF rules. Pure functions of a ticket (or the backlog) and the run context."""

from __future__ import annotations

from backlint import Violation, rule
from backlint_wsjf.scores import INPUTS, computed_wsjf, effective_wsjf, read_scores

FAMILY = "priority"
KINDS = ("feature", "epic", "story", "initiative")


@rule(
    "WSJF101",
    "wsjf-score-mismatch",
    family=FAMILY,
    severity="warning",
    kinds=KINDS,
    options={"tolerance": 0.5},
)
def score_mismatch(ticket, ctx):
    """What: The WSJF a ticket states differs from the one its inputs give:
    (business value + time criticality + risk reduction) / job size.

    Why: A stale or mistyped WSJF ranks the ticket wrongly in every backlog view that sorts by it,
    and nobody notices because the inputs look right.

    Example: A feature with BV 8, TC 5, RR 3, job size 2 (WSJF 8.0) whose WSJF field says 13.

    Fix: Recompute the score from the inputs (or correct the input that changed).

    Options: `tolerance` is the largest difference accepted, for rounding (default 0.5).
    """
    scores = read_scores(ticket)
    expected = computed_wsjf(scores)
    if "wsjf" not in scores or expected is None:
        return
    if abs(scores["wsjf"] - expected) > ctx.options["tolerance"]:
        yield (
            f"WSJF is {scores['wsjf']:g} but its inputs give {expected:.1f} "
            f"(({scores['business_value']:g} + {scores['time_criticality']:g} + "
            f"{scores['risk_reduction']:g}) / {scores['job_size']:g})."
        )


@rule("WSJF102", "wsjf-inputs-incomplete", family=FAMILY, severity="info", kinds=KINDS)
def inputs_incomplete(ticket, ctx):
    """What: A ticket records some WSJF inputs (business value, time criticality, risk reduction,
    job size) but not all four.

    Why: A partial WSJF cannot be computed or checked, yet it looks as if the ticket was scored.

    Example: A feature labelled `bv:8` and `js:3` with no time criticality or risk reduction.

    Fix: Score the missing inputs with the team, or remove the partial ones.
    """
    scores = read_scores(ticket)
    present = [name for name in INPUTS if name in scores]
    if present and len(present) < len(INPUTS):
        missing = ", ".join(name.replace("_", " ") for name in INPUTS if name not in scores)
        yield f"WSJF inputs are incomplete: {missing} missing."


@rule(
    "WSJF201",
    "priority-contradicts-wsjf",
    family=FAMILY,
    severity="warning",
    scope="backlog",
    options={"ratio": 2.0},
)
def priority_contradicts_wsjf(backlog, ctx):
    """What: An open ticket has a more urgent priority than another open ticket whose WSJF is at
    least `ratio` times higher (default 2).

    Why: When priority and WSJF disagree that much, one of them is wrong; teams that sequence by
    WSJF but pull by priority end up doing the cheaper-to-delay work first.

    Example: A High feature with WSJF 3 while a Low feature has WSJF 12.

    Fix: Re-rank the ticket (or re-score it); if priority deliberately overrides WSJF, say why
    in the ticket and suppress the finding with `backlint: ignore WSJF201`.

    Options: `ratio` is how many times higher the other WSJF must be (default 2.0).
    """
    scored = []
    for ticket in backlog.tickets():
        wsjf = effective_wsjf(read_scores(ticket))
        if (
            ticket.is_open
            and wsjf is not None
            and ticket.priority
            and ticket.priority.rank is not None
        ):
            scored.append((ticket, wsjf))
    for ticket, wsjf in sorted(scored, key=lambda item: item[0].key):
        rank = ticket.priority.rank
        better = [
            (other, other_wsjf)
            for other, other_wsjf in scored
            if other_wsjf >= ctx.options["ratio"] * wsjf and other.priority.rank > rank
        ]
        if better:
            other, other_wsjf = max(better, key=lambda item: (item[1], item[0].key))
            yield Violation(
                f"Priority {ticket.priority.name} with WSJF {wsjf:g}, but {other.key} "
                f"(priority {other.priority.name}) has WSJF {other_wsjf:g}; re-rank one of them.",
                ticket=ticket.key,
            )
