"""The default conventions (DESIGN section 7) that turn a mapped ticket into a judged-ready one.

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
_KIND_LABEL = re.compile(r"^(?:(?:type|kind|issue-type)\s*[:/ ]\s*)?(?P<name>[\w -]+)$", re.I)


def kind_of(raw_kind: str, labels: tuple[str, ...], names: Mapping[str, str]) -> str:
    """The normalised kind: the tracker's type name if known, else a kind label, else task."""
    lookup = {**DEFAULT_KIND_NAMES, **{k.lower(): v for k, v in names.items()}}
    if raw_kind and raw_kind.lower() in lookup:
        return lookup[raw_kind.lower()]
    for label in labels:
        match = _KIND_LABEL.match(label.strip())
        if match and match.group("name").strip().lower() in lookup:
            return lookup[match.group("name").strip().lower()]
    return "task"


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
    kind = kind_of(ticket.kind, ticket.labels, config.section("kinds"))
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
        kind=kind,
        priority=field_priority or (from_labels[0] if from_labels else None),
        priority_signals=signals,
    )
