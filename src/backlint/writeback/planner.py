"""Findings → what the tracker should show → the fewest writes that get it there.

The planner is tracker-neutral and pure: given a ticket's findings and its current state (the
labels it carries, the backlint comment it has), it returns a :class:`Plan`. Trackers carry plans
out. The comment carries a hidden marker with a digest of its content, so a tracker can tell
"same text" without comparing formats (Markdown on GitHub, ADF or wiki markup on Jira), and a
second run over an unchanged backlog plans no writes at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from backlint.model import Finding, Severity, Ticket

#: The hidden first line of every backlint comment (DESIGN section 6): how a tracker finds it.
HIDDEN_MARKER = "<!-- backlint -->"
MARKER = "backlint:v1"
MARKER_PATTERN = re.compile(r"backlint:v1 digest=([0-9a-f]{12}|resolved)")
RESOLVED = "resolved"
RULE_DOCS_URL = "https://github.com/backlint/backlint/blob/main/docs/rules.md"


DEFAULT_FAMILY_LABELS = {
    "clarity": "needs-clarity",
    "acceptance-criteria": "needs-acceptance-criteria",
    "objective-link": "needs-objective",
    "priority": "needs-priority-review",
}


@dataclass(frozen=True, slots=True)
class WritebackSettings:
    """How backlint writes back; built from the ``[writeback]`` config table."""

    comment: bool = True
    labels: bool = True
    on_clean: str = "resolve"  # "resolve": edit to a short note; "delete": remove the comment
    #: The least severe finding a comment states; info findings go to reports only by default.
    min_severity: Severity = Severity.WARNING
    #: "author": the comment asks only for what the ticket's author can give; triage gaps
    #: (priority, objective, estimate, criteria) become labels and report rows. "everyone": all.
    comment_for: str = "author"
    label_min_severity: Severity = Severity.WARNING
    needs_work_label: str = "backlint:needs-work"
    family_labels: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FAMILY_LABELS))
    rule_labels: Mapping[str, str] = field(default_factory=dict)

    def managed_labels(self) -> frozenset[str]:
        """Every label backlint may add or remove; all others are never touched."""
        names = {self.needs_work_label, *self.family_labels.values(), *self.rule_labels.values()}
        return frozenset(name.lower() for name in names if name)


@dataclass(frozen=True, slots=True)
class ExistingComment:
    """backlint's comment on a ticket as the tracker has it: the oldest marker comment.

    ``duplicates`` are the ids of any younger comments that also start with the marker (two
    runs that raced, or a run killed mid-write). backlint keeps the oldest and deletes these,
    so any later run repairs an earlier race.
    """

    id: str
    digest: str | None
    duplicates: tuple[str, ...] = ()


def keep_oldest(markers: Sequence[tuple[str, str | None]]) -> ExistingComment | None:
    """backlint's comment among the marker comments ``(id, digest)`` a tracker found.

    The oldest is kept and the others are its duplicates. Both trackers number comments in
    the order they were created, so the smallest id is the oldest whatever order a listing
    came in; every run, racing or not, agrees on which one that is.
    """
    if not markers:
        return None

    def age(item: tuple[int, tuple[str, str | None]]) -> tuple[int, int]:
        index, (comment_id, _) = item
        return (int(comment_id), index) if comment_id.isdigit() else (-1, index)

    ordered = [marker for _, marker in sorted(enumerate(markers), key=age)]
    (oldest, digest), rest = ordered[0], ordered[1:]
    return ExistingComment(oldest, digest, tuple(comment_id for comment_id, _ in rest))


@dataclass(frozen=True, slots=True)
class TicketState:
    """What the tracker shows now: the ticket's labels and backlint's comment, if any."""

    labels: tuple[str, ...] = ()
    comment: ExistingComment | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The writes one ticket needs. ``comment_action`` is create, edit, delete or None.

    ``duplicate_ids`` are younger backlint comments to delete; the comment kept is the oldest.
    """

    ticket: str
    url: str = ""
    comment_action: str | None = None
    comment_id: str | None = None
    comment_body: str | None = None
    labels_add: tuple[str, ...] = ()
    labels_remove: tuple[str, ...] = ()
    duplicate_ids: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.comment_action or self.duplicate_ids or self.labels_add or self.labels_remove
        )

    def describe(self) -> list[str]:
        """One line per intended write, for the dry-run plan."""
        lines = []
        if self.comment_action:
            lines.append(f"{self.comment_action} backlint comment")
        if self.duplicate_ids:
            count = len(self.duplicate_ids)
            lines.append(f"delete {count} duplicate backlint comment{'s' if count > 1 else ''}")
        lines += [f"add label {name!r}" for name in self.labels_add]
        lines += [f"remove label {name!r}" for name in self.labels_remove]
        return lines


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What applying one plan did: the writes made and, if one failed, why."""

    ticket: str
    writes: int = 0
    error: str | None = None

    def __post_init__(self) -> None:
        # Write errors quote the tracker's answer; it must not carry a token out.
        if self.error:
            from backlint.redact import redact

            object.__setattr__(self, "error", redact(self.error))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def parse_marker(text: str | None) -> str | None:
    """The digest in a backlint marker inside ``text``; None when the text has no marker."""
    if not text:
        return None
    match = MARKER_PATTERN.search(text)
    return match.group(1) if match else None


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


COMMENT_FOR = ("author", "everyone")


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
