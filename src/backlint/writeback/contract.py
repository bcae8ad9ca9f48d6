"""What write-back promises and what trackers see of it: plans, states, results and markers.

Trackers import this module only: the planner (:mod:`backlint.writeback.planner`) turns
findings into :class:`Plan` s; a tracker reads a ticket's :class:`TicketState`, finds backlint's
comment by its marker (:func:`parse_marker`, :func:`keep_oldest`) and returns a
:class:`WriteResult` per plan. :class:`WritebackSettings` (the ``[writeback]`` table) lives here
too, so the config layer need not import the planner.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backlint.model import Severity

#: The hidden first line of every backlint comment: how a tracker finds it (the marker is
#: part of the contract; see docs/architecture.md).
HIDDEN_MARKER = "<!-- backlint -->"
MARKER = "backlint:v1"
MARKER_PATTERN = re.compile(r"backlint:v1 digest=([0-9a-f]{12}|resolved)")
RESOLVED = "resolved"


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


COMMENT_FOR = ("author", "everyone")
