"""Hygiene rules (BL5xx): ownership, staleness and estimates across the backlog."""

from __future__ import annotations

from backlint.hookspecs import hookimpl
from backlint.rule import rule


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


@hookimpl
def register_rules(register):
    register(in_progress_without_assignee)
