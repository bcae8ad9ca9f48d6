"""Duplicate rule BL601 (near-duplicate): open tickets that say the same thing in other words.

The search itself (boilerplate, normalising, MinHash/LSH candidates, weighted verification,
siblings) is in :mod:`~backlint.rules.duplicates.search` and the modules it names; this module
turns its pairs into one finding per ticket, naming only the tickets that ticket itself
duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator

from backlint.engine.rule import RuleContext, Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Backlog, Ticket
from backlint.rules.duplicates.boilerplate import Boilerplate
from backlint.rules.duplicates.corpus import Corpus
from backlint.rules.duplicates.planned import planned_work
from backlint.rules.duplicates.search import search
from backlint.rules.duplicates.similarity import document


def _describe(ticket: Ticket, score: float, reason: str) -> str:
    where = f" <{ticket.url}>" if ticket.url else ""
    why = f", {reason}" if reason else ""
    return f"{ticket.key}{where} ({round(score * 100)}% similar{why})"


@rule(
    "BL601",
    "near-duplicate",
    family="duplicate",
    severity="warning",
    scope="backlog",
    options={"threshold": 0.58, "min_words": 5, "max_listed": 5, "ignore_kinds": []},
)
def near_duplicate(backlog: Backlog, ctx: RuleContext) -> Iterator[Violation]:
    """What: Two open tickets say the same thing in different words: the same request, or the
    same failure described twice (often quoting the same error message). Each such ticket gets
    one finding that names the tickets it duplicates, with links and how similar they are. A
    ticket and its own parent are never paired. Siblings are not duplicates: tickets that share
    a template but name a different component, entity, format or version ("Migrate the billing
    service to Python 3.12" / "... the search service ..."), ask for opposite operations (add /
    remove), or where one title adds a name the other ticket never mentions. Two pieces of
    planned work (stories, epics, and tasks that report no problem) count only when they are
    near copies, and never across projects: similar wording there is a breakdown, not the same
    request twice. Issue-form boilerplate (headings and stock answers many tickets of a project
    share, tables of versions) is left out before comparing.

    Why: The same request filed several times splits the discussion, the votes and the work:
    two people fix the same bug, or the duplicate lingers for a year after the original shipped.
    Trackers only catch identical titles; people rarely write the same title twice.

    Example: SHOP-225 "Order confirmation email not sent for PayPal orders" and SHOP-236
    "Customers who pay via PayPal never receive the order confirmation mail". Not SHOP-215
    "Apple Pay on the cart page" and SHOP-216 "Google Pay on the cart page".

    Fix: Keep the best-written ticket, copy anything the others add to it, and close the others
    as duplicates (with a link), or say in each why they differ.

    Options: `threshold` (0.58) is the similarity, 0-1, from which two tickets count as duplicates
    (half the weighted overlap of all their words, half how much of each title the other ticket
    mentions); tickets whose titles are the same words need 0.08 less, tickets quoting the same
    rare error message 0.18 less (the finding says which), planned work 0.9; `min_words` (5) is
    the fewest distinct meaningful words a ticket needs to be compared at all; `max_listed` (5)
    caps how many tickets one finding names; `ignore_kinds` lists kinds never compared.
    """
    ignored = {kind.lower() for kind in ctx.options["ignore_kinds"]}
    tickets = sorted(
        (t for t in backlog.tickets() if t.is_open and t.kind not in ignored), key=lambda t: t.key
    )
    boilerplate = Boilerplate([(t.key, t.body) for t in tickets])
    # Each ticket is stored compactly as soon as it is read; its text is read again only for
    # the few pairs that come close.
    corpus = Corpus()
    for ticket in tickets:
        body = boilerplate.strip(ticket.key, ticket.body)
        planned = planned_work(ticket.kind, ticket.title, body)
        corpus.add(document(ticket.key, ticket.title, body, planned=planned))

    def text_of(index: int) -> tuple[str, str]:
        ticket = tickets[index]
        return ticket.title, boilerplate.strip(ticket.key, ticket.body)

    pairs = search(
        corpus,
        text_of,
        threshold=float(ctx.options["threshold"]),
        min_stems=int(ctx.options["min_words"]),
    )
    partners: dict[int, list[tuple[float, str, int, str]]] = {}
    for pair in pairs:
        # Equal scores list by key: scores summed in another order differ in the last bits.
        similarity = round(pair.similarity, 9)
        first, second = tickets[pair.first], tickets[pair.second]
        # A story restating its own epic (or a sub-task its story) is not a duplicate of it.
        if first.parent == second.key or second.parent == first.key:
            continue
        partners.setdefault(pair.first, []).append(
            (-similarity, second.key, pair.second, pair.reason)
        )
        partners.setdefault(pair.second, []).append(
            (-similarity, first.key, pair.first, pair.reason)
        )
    limit = max(1, int(ctx.options["max_listed"]))
    for index in sorted(partners):
        others = sorted(partners[index])
        listed = ", ".join(_describe(tickets[o], -s, why) for s, _, o, why in others[:limit])
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
