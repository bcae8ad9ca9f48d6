"""The tracker-neutral data model: the only types a rule ever sees.

Every tracker adapter maps its payloads to :class:`Ticket`; every rule returns findings about
tickets; reporters and the write-back planner see only :class:`Finding`. All of them are frozen so
that a rule cannot change what the next rule sees.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

FAMILIES = (
    "clarity",
    "acceptance-criteria",
    "objective-link",
    "priority",
    "hygiene",
    "duplicate",
    "run",
)

#: Status categories every tracker's statuses are mapped to.
STATUS_CATEGORIES = ("todo", "in_progress", "done")

EMPTY: Mapping[str, Any] = MappingProxyType({})


class Severity(enum.Enum):
    """How much a finding matters. Ordered: ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: Severity) -> bool:
        return self.rank < other.rank

    def __le__(self, other: Severity) -> bool:
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """``Severity.parse("warning")``; raises ValueError naming the accepted values."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r} (expected one of: info, warning, error)"
            ) from None


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True)
class Priority:
    """A priority signal on a ticket.

    ``rank`` is the position on the configured scale, 0 being the most urgent; ``None`` when the
    name is not on the scale. ``source`` says where the signal came from: ``field`` (Jira's
    priority field or a GitHub Projects field) or ``label``.
    """

    name: str
    rank: int | None = None
    source: str = "field"


@dataclass(frozen=True, slots=True)
class Link:
    """A typed link from one ticket to another (Jira issue links, GitHub cross references).

    ``relation`` is the phrase read from this ticket's side ("blocks", "is blocked by",
    "relates to", "implements"); the target's kind and status are carried when the tracker
    sends them, so rules need not fetch the linked ticket.
    """

    relation: str
    key: str
    kind: str | None = None
    status: str | None = None
    status_category: str | None = None
    title: str | None = None
    priority: Priority | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """One dated change by someone: a comment, an edit, a label change.

    ``is_bot`` is the tracker's own verdict (GitHub ``type: Bot``, Jira ``accountType: app``);
    rules add the configured bot list on top.
    """

    at: datetime
    actor: str
    kind: str = "comment"
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Ticket:
    """One backlog item, whatever tracker it came from.

    ``body`` is plain text in a normalised Markdown-like form (headings as ``## x``, lists as
    ``- x``, checkboxes as ``- [ ] x``, code fenced), whether the source was Markdown, ADF or
    wiki markup. ``kind`` is one of story, feature, bug, task, epic, initiative, objective,
    subtask (unknown kinds become ``task``). ``status_category`` is one of
    :data:`STATUS_CATEGORIES`.

    ``fields`` holds the tracker extras an adapter maps beside the attributes (``comments``,
    ``parent_link``, ``sub_issues``, ``milestone_state``, a configured ``acceptance_criteria``
    field, a plugin tracker's own columns; the body's own markup as ``body_markup`` only when
    it mentions backlint, for suppression comments the normalised body drops). ``raw`` is not
    the whole payload (held for every ticket of a big audit, it cost most of the memory): only
    the few values backlint reads beyond the mapped ones, and what a plugin rule may want.
    GitHub (REST and webhooks): ``state_reason``, ``author_association``, ``locked``,
    ``closed_at`` when set; GitHub GraphQL: the node ``id``; Jira: ``raw["fields"]`` with
    ``labels`` and ``resolution`` as Jira sent them, every ``customfield_*`` that holds a
    value, and ``comment`` (``total`` and each comment's ``id``, with its ``body`` only when it
    may be backlint's own marker comment).
    """

    key: str
    tracker: str
    title: str = ""
    body: str = ""
    url: str = ""
    kind: str = "task"
    status: str = ""
    status_category: str = "todo"
    priority: Priority | None = None
    priority_signals: tuple[Priority, ...] = ()
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    reporter: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    due: date | None = None
    parent: str | None = None
    links: tuple[Link, ...] = ()
    children: tuple[str, ...] = ()
    milestone: str | None = None
    sprint: str | None = None
    sprint_state: str | None = None
    estimate: float | None = None
    components: tuple[str, ...] = ()
    activity: tuple[Activity, ...] = ()
    #: Why the adapter could not read this ticket (one line); such a ticket is reported as
    #: unreadable (BL902) and never judged. None for every ticket that was read.
    load_error: str | None = None
    fields: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False, repr=False)
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Tracker plugins written before load_error was a field put it in ``fields``; their
        # unreadable tickets must still be reported, not judged as empty ones. Deprecated.
        if self.load_error is None and self.fields.get("load_error"):
            object.__setattr__(self, "load_error", str(self.fields["load_error"]))

    @property
    def is_open(self) -> bool:
        return self.status_category != "done"

    def has_label(self, name: str) -> bool:
        """Case-insensitive label test."""
        lowered = name.lower()
        return any(label.lower() == lowered for label in self.labels)


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem found on one ticket by one rule. Sorted by ticket, then rule code."""

    ticket: str
    rule: str
    name: str = field(compare=False)
    family: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str
    url: str = field(default="", compare=False)
    #: Who can act on it: author, maintainer or backlog (see ``backlint.engine.rule.AUDIENCES``).
    #: Write-back reads it; the JSON report does not carry it.
    audience: str = field(default="author", compare=False)

    def to_dict(self) -> dict[str, str]:
        """The finding as the JSON report (version 1) writes it."""
        return {
            "ticket": self.ticket,
            "rule": self.rule,
            "name": self.name,
            "family": self.family,
            "severity": self.severity.value,
            "message": self.message,
            "url": self.url,
        }


class Backlog(Mapping[str, Ticket]):
    """The tickets of one run, indexed by key, with the parent/child index rules need."""

    def __init__(self, tickets: Iterable[Ticket]) -> None:
        self._tickets: dict[str, Ticket] = {}
        for ticket in tickets:
            self._tickets.setdefault(ticket.key, ticket)
        children: dict[str, list[str]] = {}
        for ticket in self._tickets.values():
            if ticket.parent:
                children.setdefault(ticket.parent, []).append(ticket.key)
            for child in ticket.children:
                children.setdefault(ticket.key, []).append(child)
        self._children = {key: tuple(dict.fromkeys(keys)) for key, keys in children.items()}

    def __getitem__(self, key: str) -> Ticket:
        return self._tickets[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tickets)

    def __len__(self) -> int:
        return len(self._tickets)

    def tickets(self) -> Iterator[Ticket]:
        return iter(self._tickets.values())

    def children_of(self, key: str) -> tuple[Ticket, ...]:
        """The children of ``key`` that are in this backlog."""
        return tuple(self._tickets[k] for k in self._children.get(key, ()) if k in self._tickets)

    def ancestors(self, ticket: Ticket, limit: int = 10) -> Iterator[Ticket]:
        """Parent, grandparent, ... as far as the backlog knows them (cycles are cut)."""
        seen = {ticket.key}
        current = ticket
        for _ in range(limit):
            if not current.parent or current.parent in seen or current.parent not in self:
                return
            current = self._tickets[current.parent]
            seen.add(current.key)
            yield current
