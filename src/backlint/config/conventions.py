"""The default conventions (docs/architecture.md) that make a mapped ticket ready to judge.

Adapters map payloads faithfully: the tracker's own type name as ``kind``, its priority field as
``priority``, labels as they are. :func:`normalise` then applies the conventions every tracker
shares, once: kinds from type names or labels, priority ranks on the configured scale, and
priority signals read from labels. Rules can rely on the result.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from backlint.config.config import Config
from backlint.model import Priority, Ticket

KINDS = ("story", "feature", "bug", "task", "epic", "initiative", "objective", "subtask")

DEFAULT_KIND_NAMES = {
    "story": "story",
    "user story": "story",
    "user-story": "story",
    "feature": "feature",
    "new feature": "feature",
    "enhancement": "feature",
    "feature request": "feature",
    "improvement": "feature",
    "bug": "bug",
    "defect": "bug",
    "incident": "bug",
    "task": "task",
    "chore": "task",
    "spike": "task",
    "documentation": "task",
    "sub-task": "subtask",
    "subtask": "subtask",
    "epic": "epic",
    "initiative": "initiative",
    "theme": "initiative",
    "objective": "objective",
    "okr": "objective",
    "goal": "objective",
}

#: Words that name a level when the name itself is not on the configured scale.
PRIORITY_ALIASES = {
    "blocker": 0,
    "critical": 0,
    "urgent": 0,
    "highest": 0,
    "high": 1,
    "major": 1,
    "medium": 2,
    "normal": 2,
    "moderate": 2,
    "low": 3,
    "minor": 3,
    "lowest": 4,
    "trivial": 4,
}

_PRIORITY_LABEL = re.compile(
    r"^(?:p(?P<number>[0-4])|(?:priority|prio|pri)\s*[:/\-_ ]\s*(?P<word>[\w-]+))$", re.IGNORECASE
)
#: How much of a body kind inference reads (a pasted log is not read to its end).
MAX_INFER_CHARS = 10_000
_KIND_LABEL = re.compile(r"^(?:(?:type|kind|issue-type)\s*[:/ ]\s*)?(?P<name>[\w -]+)$", re.I)


def named_kind(raw_kind: str, labels: tuple[str, ...], names: Mapping[str, str]) -> str | None:
    """The kind the tracker's type name or a kind label says, or None when neither says one."""
    lookup = {**DEFAULT_KIND_NAMES, **{k.lower(): v for k, v in names.items()}}
    if raw_kind and raw_kind.lower() in lookup:
        return lookup[raw_kind.lower()]
    for label in labels:
        match = _KIND_LABEL.match(label.strip())
        if match and match.group("name").strip().lower() in lookup:
            return lookup[match.group("name").strip().lower()]
    return None


# --- kinds read from the text, for tickets the tracker gives no type -------------------------

#: A title that asks for a change ("Add ...", "appcd: Support ...", "Improve error messages"):
#: the failure words in it name what to change, they do not report a failure.
_REQUEST_TITLE = re.compile(
    r"^\W*(?:[\w./-]+:\s+)?(?:add|adds|adding|implement|support|allow|enable|disable|provide|"
    r"create|introduce|expose|improve|better|update|upgrade|bump|refactor|remove|drop|change|"
    r"use|make|document|handle|define|rename|move|clean|investigate|test|write|prepare|"
    r"collect|log|report|have|distinguish|re-?run|retry|recover|stop|avoid|ensure|check|"
    r"verify|detect|catch|show|display|print|warn|surface|convert|skip|ignore|deprecate|"
    r"consider|explore|research|spike)\b",
    re.IGNORECASE,
)
#: "X should ...": a requirement, even when it names a failure ("should not be shown").
_MODAL = re.compile(r"\b(?:should|must|shall|needs?\s+to|has\s+to|want|wants)\b", re.I)
#: A title that reports broken behaviour.
_FAILURE_TITLE = re.compile(
    r"\b(?:crash(?:es|ed|ing)?|fails?|failed|failing|broken|breaks|regression|exceptions?|"
    r"segfaults?|segmentation\s+fault|hangs|hung|freezes|frozen|deadlocks?|npe|"
    r"nullpointer\w*|traceback|panics?|errors?|doesn'?t|does\s+not|don'?t|didn'?t|cannot|"
    r"can'?t|can\s+not|unable\s+to|won'?t|isn'?t|aren'?t|wasn'?t|no\s+longer|"
    r"not\s+(?:working|work|shown|showing|displayed|loading|loaded|found|saved|updated|"
    r"registered|detected|recogni[sz]ed|respected|honou?red|applied|rendering|rendered|"
    r"visible|correct|properly)|incorrect(?:ly)?|wrong(?:ly)?)\b",
    re.IGNORECASE,
)
#: What only a bug report has: a reproduction or an "actual result" section, a tracker's
#: "This bug report is for ..." banner.
_BUG_SECTION = re.compile(
    r"^\W*(?:steps\s+to\s+reproduce|to\s+reproduce|repro(?:duction)?\s+steps|"
    r"actual\s+(?:results?|behaviou?r)|observed\s+behaviou?r)\b|\bthis\s+bug\s+report\b",
    re.IGNORECASE | re.MULTILINE,
)
#: A stack trace: Java / JavaScript frames, a Python traceback, an uncaught exception.
_STACK_TRACE = re.compile(
    r"^\s*at\s+[\w$.<>/]+\s?\(.*\)\s*$|^\s*Traceback \(most recent call last\)|"
    r"^\s*Exception in thread\b|^\s*Caused by: [\w.$]+(?:Exception|Error)\b",
    re.MULTILINE,
)
#: Labels that say what a ticket is not (a question is not a bug report).
_NOT_WORK_LABELS = frozenset(("question", "support", "discussion", "type: question"))


def inferred_kind(title: str, body: str) -> str | None:
    """The kind the text says, for a ticket with no type: "bug", or None when it is unclear.

    Conservative, because a wrong "bug" asks a request for steps to reproduce: a bug needs a
    reproduction or "actual result" section, a title that reports a failure ("Login page
    broken on Firefox", "Export fails ...") and is not a request ("Improve error messages",
    "X should ..."), or a stack trace under a title that is not a request. Feature requests
    are not inferred: "Add ..." is as often a task, and the feature rules (acceptance
    criteria, outcome, impact) would ask chores for what they do not need.
    """
    text = body[:MAX_INFER_CHARS]
    request = _REQUEST_TITLE.search(title) or _MODAL.search(title)
    if _BUG_SECTION.search(text):
        return "bug"
    if not request and (_FAILURE_TITLE.search(title) or _STACK_TRACE.search(text)):
        return "bug"
    return None


def priority_rank(name: str, scale: tuple[str, ...]) -> int | None:
    """Where ``name`` sits on ``scale`` (0 = most urgent), scaled to the scale's length.

    A name on the scale is its index; ``P0``..``P4`` and the alias words map proportionally.
    """
    lowered = name.strip().lower()
    for index, level in enumerate(scale):
        if level.lower() == lowered:
            return index
    match = re.fullmatch(r"p([0-9])", lowered)
    position = int(match.group(1)) if match else PRIORITY_ALIASES.get(lowered)
    if position is None:
        return None
    return min(len(scale) - 1, round(position * (len(scale) - 1) / 4))


def label_priorities(
    labels: tuple[str, ...], scale: tuple[str, ...], label_map: Mapping[str, str]
) -> tuple[Priority, ...]:
    """Priority signals carried by labels (``P1``, ``priority: high``, configured names)."""
    signals = []
    mapped = {k.lower(): v for k, v in label_map.items()}
    for label in labels:
        if label.lower() in mapped:
            name = mapped[label.lower()]
        else:
            match = _PRIORITY_LABEL.match(label.strip())
            if not match:
                continue
            name = f"P{match.group('number')}" if match.group("number") else match.group("word")
        rank = priority_rank(name, scale)
        if rank is not None:
            signals.append(Priority(name=label, rank=rank, source="label"))
    return tuple(signals)


def normalise(ticket: Ticket, config: Config) -> Ticket:
    """Apply the kind and priority conventions to a freshly mapped ticket."""
    scale = config.priority_scale
    kind = named_kind(ticket.kind, ticket.labels, config.section("kinds"))
    if (
        kind is None
        and not ticket.kind
        and _NOT_WORK_LABELS.isdisjoint(label.lower() for label in ticket.labels)
    ):
        kind = inferred_kind(ticket.title, ticket.body)  # no type at all: read the text
    field_priority = ticket.priority
    if field_priority is not None:
        field_priority = dataclasses.replace(
            field_priority, rank=priority_rank(field_priority.name, scale)
        )
    from_labels = label_priorities(
        ticket.labels, scale, config.section("priority").get("labels", {})
    )
    signals = ((field_priority,) if field_priority else ()) + from_labels
    return dataclasses.replace(
        ticket,
        kind=kind or "task",
        priority=field_priority or (from_labels[0] if from_labels else None),
        priority_signals=signals,
    )
