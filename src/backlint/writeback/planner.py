"""Findings → what the tracker should show → the fewest writes that get it there.

The planner is tracker-neutral and pure: given a ticket's findings and its current state (the
labels it carries, the backlint comment it has), it returns a :class:`Plan`. Trackers carry
plans out; they import only :mod:`backlint.writeback.contract`. The comment carries a hidden
marker with a digest of its content, so a tracker can tell "same text" without comparing formats
(Markdown on GitHub, ADF or wiki markup on Jira), and a second run over an unchanged backlog
plans no writes at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from backlint.model import Finding, Ticket
from backlint.writeback.contract import (
    HIDDEN_MARKER,
    MARKER,
    RESOLVED,
    Plan,
    TicketState,
    WritebackSettings,
    digest_of,
    parse_marker,
)

RULE_DOCS_URL = "https://github.com/backlint/backlint/blob/main/docs/rules.md"


_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_ISSUE_REF = re.compile(r"(#|\bGH-)(?=\d)", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def neutralise(text: str) -> str:
    """Make tracker text safe to quote in a comment.

    No @-mention pings (a zero-width joiner follows the ``@``), no issue references that a
    closing keyword could act on (``#12`` loses its link), no HTML and no Markdown markup
    (special characters are backslash-escaped, ``<`` and ``>`` included).
    """
    text = " ".join(text.split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _MENTION.sub("@\u200d", text)
    return _ISSUE_REF.sub(lambda m: m.group(1) + "\u200d", text)


def render_comment(findings: Sequence[Finding]) -> str:
    """The Markdown comment for a ticket's findings, marker line first.

    Messages are written by rules and may quote the ticket; they are neutralised here.
    """
    ordered = sorted(findings, key=lambda f: (-f.severity.rank, f.rule))
    noun = "thing" if len(ordered) == 1 else "things"
    lines = [
        f"backlint found {len(ordered)} {noun} to improve before this ticket is ready:",
        "",
    ]
    for finding in ordered:
        lines.append(
            f"- **{finding.severity.value}** {neutralise(finding.message)} "
            f"([{finding.rule} {finding.name}]({RULE_DOCS_URL}#{finding.rule.lower()}))"
        )
    lines += [
        "",
        "This comment updates itself when the ticket changes. To silence one check on this "
        "ticket, add the label `backlint:ignore:CODE`.",
    ]
    body = "\n".join(lines)
    return f"{HIDDEN_MARKER}\n<!-- {MARKER} digest={digest_of(body)} -->\n{body}"


def render_resolved() -> str:
    """The short note that replaces the comment when every check passes."""
    return (
        f"{HIDDEN_MARKER}\n<!-- {MARKER} digest={RESOLVED} -->\n"
        "backlint: all checks pass now. Thank you!"
    )


def on_ticket(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that belong on a ticket at all.

    Problems of the run itself are not the ticket's, and backlog-level findings (priority
    inflation, WIP) are stated once in reports, never ticket by ticket.
    """
    return [f for f in findings if f.family != "run" and f.audience != "backlog"]


def for_comment(findings: Iterable[Finding], settings: WritebackSettings) -> list[Finding]:
    """The findings the ticket's comment states: severe enough, and for whom it speaks to."""
    return [
        f
        for f in on_ticket(findings)
        if f.severity >= settings.min_severity
        and (settings.comment_for == "everyone" or f.audience == "author")
    ]


def desired_labels(findings: Iterable[Finding], settings: WritebackSettings) -> set[str]:
    """The managed labels the findings call for."""
    findings = on_ticket(findings)
    labels: set[str] = set()
    # Every ticket with a backlint comment carries the needs-work label, and only those:
    # trackers rely on it to know which tickets' comments to look up.
    if settings.needs_work_label and for_comment(findings, settings):
        labels.add(settings.needs_work_label)
    for finding in findings:
        if finding.severity < settings.label_min_severity:
            continue
        for name in (
            settings.rule_labels.get(finding.rule),
            settings.family_labels.get(finding.family),
        ):
            if name:
                labels.add(name)
    return labels


def plan_ticket(
    ticket: Ticket,
    findings: Sequence[Finding],
    state: TicketState,
    settings: WritebackSettings,
) -> Plan:
    """The fewest writes that bring ``ticket`` to what ``findings`` call for."""
    findings = on_ticket(findings)
    action = comment_id = body = None
    duplicates: tuple[str, ...] = ()
    if settings.comment:
        existing = state.comment
        if existing is not None:
            duplicates = tuple(i for i in existing.duplicates if i != existing.id)
        stated = for_comment(findings, settings)
        if stated:
            body = render_comment(stated)
            if existing is None:
                action = "create"
            elif existing.digest != parse_marker(body):
                action, comment_id = "edit", existing.id
        elif existing is not None and existing.digest != RESOLVED:
            comment_id = existing.id
            if settings.on_clean == "delete":
                action = "delete"
            else:
                action, body = "edit", render_resolved()
        if action is None:
            body = None
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    if settings.labels:
        current = {label.lower(): label for label in state.labels}
        wanted = desired_labels(findings, settings)
        add = tuple(sorted(name for name in wanted if name.lower() not in current))
        wanted_lower = {name.lower() for name in wanted}
        managed = settings.managed_labels()
        remove = tuple(
            sorted(
                original
                for lowered, original in current.items()
                if lowered in managed and lowered not in wanted_lower
            )
        )
    return Plan(
        ticket=ticket.key,
        url=ticket.url,
        comment_action=action,
        comment_id=comment_id,
        comment_body=body,
        labels_add=add,
        labels_remove=remove,
        duplicate_ids=duplicates,
    )


def cap_plans(plans: Iterable[Plan], limit: int | None) -> tuple[list[Plan], int]:
    """Keep the first ``limit`` plans that write; return them and how many were held back."""
    kept: list[Plan] = []
    held = 0
    for plan in plans:
        if plan.is_empty:
            continue
        if limit is not None and len(kept) >= limit:
            held += 1
        else:
            kept.append(plan)
    return kept, held
