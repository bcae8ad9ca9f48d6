"""Duplicate rule BL601 (near-duplicate): open tickets that say the same thing in other words.

The search itself (normalising, MinHash/LSH candidates, weighted verification) is in
:mod:`~backlint.rules.duplicates.similarity`;
this module turns its groups into one finding per ticket.
"""

from __future__ import annotations

from collections.abc import Iterator

from backlint.engine.rule import RuleContext, Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Backlog, Ticket
from backlint.rules.duplicates.boilerplate import strip_boilerplate
from backlint.rules.duplicates.contrast import planned_work
from backlint.rules.duplicates.search import find_similar_pairs
from backlint.rules.duplicates.similarity import document


def _describe(ticket: Ticket, score: float) -> str:
    where = f" <{ticket.url}>" if ticket.url else ""
    return f"{ticket.key}{where} ({round(score * 100)}% similar)"


@rule(
    "BL601",
    "near-duplicate",
    family="duplicate",
    severity="warning",
    scope="backlog",
    options={"threshold": 0.58, "min_words": 5, "max_listed": 5, "ignore_kinds": []},
)
def near_duplicate(backlog: Backlog, ctx: RuleContext) -> Iterator[Violation]:
    """What: Two or more open tickets say the same thing in different words. Each ticket of such a
    group gets one finding that names the others, with links and how similar they are. A ticket
    and its own parent are never paired.

    Why: The same request filed several times splits the discussion, the votes and the work:
    two people fix the same bug, or the duplicate lingers for a year after the original shipped.
    Trackers only catch identical titles; people rarely write the same title twice.

    Example: SHOP-225 "Order confirmation email not sent for PayPal orders" and SHOP-236
    "Customers who pay via PayPal never receive the order confirmation mail".

    Fix: Keep the best-written ticket, copy anything the others add to it, and close the others
    as duplicates (with a link), or say in each why they differ.

    Options: `threshold` (0.58) is the similarity, 0-1, from which two tickets count as duplicates
    (half the weighted overlap of all their words, half how much of each title the other ticket
    mentions); `min_words` (5) is the fewest distinct meaningful words a ticket needs to be
    compared at all; `max_listed` (5) caps how many others one finding names; `ignore_kinds` lists
    kinds never compared.
    """
    ignored = {kind.lower() for kind in ctx.options["ignore_kinds"]}
    tickets = sorted(
        (t for t in backlog.tickets() if t.is_open and t.kind not in ignored), key=lambda t: t.key
    )
    bodies = strip_boilerplate([(t.key, t.body) for t in tickets])
    documents = [
        document(t.key, t.title, body, planned=planned_work(t.kind, t.title, body))
        for t, body in zip(tickets, bodies, strict=True)
    ]
    pairs, _ = find_similar_pairs(
        documents,
        threshold=float(ctx.options["threshold"]),
        min_stems=int(ctx.options["min_words"]),
    )
    partners: dict[int, list[tuple[float, str, int]]] = {}
    for pair in pairs:
        first, second = tickets[pair.first], tickets[pair.second]
        # A story restating its own epic (or a sub-task its story) is not a duplicate of it.
        if first.parent == second.key or second.parent == first.key:
            continue
        partners.setdefault(pair.first, []).append((-pair.similarity, second.key, pair.second))
        partners.setdefault(pair.second, []).append((-pair.similarity, first.key, pair.first))
    limit = max(1, int(ctx.options["max_listed"]))
    for index in sorted(partners):
        others = sorted(partners[index])
        listed = ", ".join(_describe(tickets[o], -s) for s, _, o in others[:limit])
        more = len(others) - limit
        extra = f" and {more} more" if more > 0 else ""
        yield Violation(
            f"This looks like a near-duplicate of {listed}{extra}. Keep one ticket and close "
            "the others as duplicates, or say how they differ.",
            ticket=tickets[index].key,
        )


@hookimpl
def register_rules(register):
    register(near_duplicate)
