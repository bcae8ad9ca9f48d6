"""Hygiene rules (BL5xx), ownership: who owns the work, and does the hierarchy agree with itself.

BL501 and BL503 look at who is doing what; BL504 and BL505 look at the two sides of one
inconsistency, a closed parent with open children. Staleness lives in ``staleness.py`` and
readiness (estimates) in ``readiness.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backlint.engine.rule import RuleContext, Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Backlog, Ticket

#: Kinds that stay "in progress" for months by nature; they are not work one person carries.
CONTAINER_KINDS = ("epic", "initiative", "objective")


@rule("BL501", "in-progress-without-assignee", family="hygiene", severity="warning")
def in_progress_without_assignee(ticket, ctx):
    """What: A ticket is in progress but nobody is assigned to it.

    Why: Work in progress that nobody owns is either not really in progress or invisible: it
    cannot be asked about, unblocked or finished.

    Example: "Migrate receipts to the new PDF service", status In Progress, assignee empty.

    Fix: Assign the person doing the work, or move the ticket back to the backlog.
    """
    if ticket.status_category == "in_progress" and not ticket.assignees:
        yield f"This ticket is {ticket.status or 'in progress'} but nobody is assigned to it."


@rule(
    "BL503",
    "wip-limit-exceeded",
    family="hygiene",
    severity="info",
    scope="backlog",
    audience="backlog",
    options={"limit": 5, "ignore_kinds": list(CONTAINER_KINDS)},
)
def wip_limit_exceeded(backlog: Backlog, ctx: RuleContext) -> Iterator[Violation]:
    """What: One person is assigned more than `limit` tickets that are in progress. Each of those
    tickets gets the finding, naming the others. Epics, initiatives and objectives
    (`ignore_kinds`) are not counted: they stay open while their children move.

    Why: Nobody works on six things at once. A long in-progress list hides which one is really
    moving, stretches every lead time and makes the board lie about capacity.

    Example: Dana is assignee of SHOP-215, 216, 217, 220, 227 and 228, all In Progress, with a
    limit of 5.

    Fix: Finish or hand over some of the work, or move what is not being worked on back to To Do.

    Options: `limit` (default 5) is the most tickets one person may have in progress;
    `ignore_kinds` lists kinds that are not counted.
    """
    limit = int(ctx.options["limit"])
    ignored = {kind.lower() for kind in ctx.options["ignore_kinds"]}
    by_person: dict[str, list[Ticket]] = {}
    for ticket in backlog.tickets():
        if ticket.status_category != "in_progress" or ticket.kind in ignored:
            continue
        for person in ticket.assignees:
            by_person.setdefault(person, []).append(ticket)
    for person in sorted(by_person):
        tickets = sorted(by_person[person], key=lambda t: t.key)
        if len(tickets) <= limit:
            continue
        keys = ", ".join(t.key for t in tickets)
        for ticket in tickets:
            yield Violation(
                f"{person} has {len(tickets)} tickets in progress (limit {limit}): {keys}. "
                "Finish or hand over some before starting more.",
                ticket=ticket.key,
            )


def open_children(ticket: Ticket, backlog: Backlog) -> tuple[int, list[str]]:
    """How many children of ``ticket`` are open, and the keys of those the backlog knows.

    The backlog's own tickets are the best evidence; the tracker's counts (Jira
    ``fields["subtasks_open"]``, GitHub ``fields["sub_issues"]``) cover children that were not
    fetched. The larger of the two counts wins, so neither source hides the other.
    """
    known = [child.key for child in backlog.children_of(ticket.key) if child.is_open]
    counted = 0
    subtasks_open = ticket.fields.get("subtasks_open")
    if isinstance(subtasks_open, int):
        counted = subtasks_open
    sub_issues = ticket.fields.get("sub_issues")
    if isinstance(sub_issues, Mapping) and sub_issues:
        total, completed = sub_issues.get("total", 0), sub_issues.get("completed", 0)
        if isinstance(total, int) and isinstance(completed, int):
            counted = max(counted, total - completed)
    return max(counted, len(known)), sorted(known)


@rule("BL504", "done-with-open-children", family="hygiene", severity="warning", scope="backlog")
def done_with_open_children(backlog: Backlog, ctx: RuleContext) -> Iterator[Violation]:
    """What: A ticket is done (closed, resolved) while some of its sub-tasks, sub-issues or child
    tickets are still open.

    Why: Either the parent was closed too early and the open work is forgotten, or the children
    are finished and nobody closed them; both make the board and every report built on it wrong.

    Example: SHOP-208 "Download invoice PDF from order history" is Done, its sub-task SHOP-214
    "Print the customer's VAT number in the invoice header" is still To Do.

    Fix: Finish or close the open children (or move them to another parent), or reopen the
    parent.
    """
    for ticket in backlog.tickets():
        if ticket.is_open:
            continue
        count, keys = open_children(ticket, backlog)
        if count == 0:
            continue
        listed = f": {', '.join(keys)}" if keys else ""
        verb = "is" if count == 1 else "are"
        yield Violation(
            f"This ticket is {ticket.status or 'done'} but {count} of its children {verb} still "
            f"open{listed}.",
            ticket=ticket.key,
        )


def parent_category(ticket: Ticket, backlog: Backlog) -> tuple[str | None, str]:
    """The parent's status category and status name, from the backlog or the link the tracker
    sent with the ticket (Jira ``fields["parent_link"]``); ``(None, "")`` when unknown."""
    if ticket.parent and ticket.parent in backlog:
        parent = backlog[ticket.parent]
        return parent.status_category, parent.status
    link = ticket.fields.get("parent_link")
    category = getattr(link, "status_category", None)
    return category, getattr(link, "status", None) or ""


@rule("BL505", "open-under-done-parent", family="hygiene", severity="warning", scope="backlog")
def open_under_done_parent(backlog: Backlog, ctx: RuleContext) -> Iterator[Violation]:
    """What: A ticket is still open but its parent (epic, parent issue, parent of a sub-task) is
    already done.

    Why: Work under a finished parent is work nobody plans for: it falls out of the epic's
    reports and roadmaps, and usually means the parent was closed too early.

    Example: GitHub #102 "Show the Klarna instalment price" is open under epic #101, which is
    closed.

    Fix: Finish or close the ticket, move it under a parent that is still open, or reopen the
    parent.
    """
    for ticket in backlog.tickets():
        if not ticket.is_open or not ticket.parent:
            continue
        category, status = parent_category(ticket, backlog)
        if category == "done":
            yield Violation(
                f"This ticket is open but its parent {ticket.parent} is "
                f"{status or 'done'}; finish or move this ticket, or reopen the parent.",
                ticket=ticket.key,
            )


@hookimpl
def register_rules(register):
    register(in_progress_without_assignee)
    register(wip_limit_exceeded)
    register(done_with_open_children)
    register(open_under_done_parent)
