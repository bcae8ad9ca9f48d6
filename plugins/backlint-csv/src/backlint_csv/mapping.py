"""One CSV row → one Ticket. Pure: no file access here; the tracker reads the file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from backlint.model import Priority, Ticket

#: Ticket attribute → header names that fill it (case-insensitive).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "key": ("key", "issue key", "id", "issue id", "number"),
    "title": ("summary", "title", "name"),
    "body": ("description", "body"),
    "kind": ("issue type", "type", "kind", "work item type"),
    "status": ("status", "state"),
    "status_category": ("status category",),
    "priority": ("priority",),
    "labels": ("labels", "label", "tags"),
    "assignees": ("assignee", "assignees"),
    "reporter": ("reporter", "created by"),
    "created": ("created", "created at"),
    "updated": ("updated", "updated at", "last updated"),
    "due": ("due date", "due"),
    "parent": ("parent", "parent key", "epic link", "parent id"),
    "sprint": ("sprint", "iteration"),
    "estimate": ("story points", "story point estimate", "estimate", "points"),
    "url": ("url", "link"),
}
MULTI = ("labels", "assignees")
DONE = ("done", "closed", "resolved", "released", "complete", "completed", "won't do", "cancelled")
DOING = ("in progress", "doing", "in review", "review", "testing", "in development", "started")
DATE_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%Y-%m-%d %H:%M", "%m/%d/%Y")


def snake(header: str) -> str:
    """``Business Value`` → ``business_value``."""
    return re.sub(r"\W+", "_", header.strip().lower()).strip("_")


def header_map(headers: Sequence[str], renames: Mapping[str, str]) -> dict[int, str]:
    """Column index → Ticket attribute (or ``fields.NAME`` for the rest)."""
    wanted = {attr: {n.lower() for n in names} for attr, names in COLUMNS.items()}
    for attr, header in renames.items():
        wanted[attr] = {header.lower()}
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        lowered = header.strip().lower()
        attr = next((a for a, names in wanted.items() if lowered in names), None)
        if attr and (attr in MULTI or attr not in taken):
            mapping[index] = attr
            taken.add(attr)
        elif lowered:
            mapping[index] = "fields." + snake(header)
    return mapping


def parse_time(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def status_category(status: str, given: str) -> str:
    """todo / in_progress / done from a status category column, else from the status name."""
    for text in (given, status):
        lowered = text.strip().lower().replace("-", " ")
        if lowered in DONE or lowered == "done":
            return "done"
        if lowered in DOING or lowered in ("in_progress", "in progress", "indeterminate"):
            return "in_progress"
        if lowered in ("to do", "todo", "new", "open", "backlog"):
            return "todo"
    return "todo"


def ticket_from_row(row: Sequence[str], columns: Mapping[int, str], source: str) -> Ticket:
    """Map one row; raises ValueError when the row has no key."""
    values: dict[str, Any] = {}
    multi: dict[str, list[str]] = {name: [] for name in MULTI}
    fields: dict[str, Any] = {}
    for index, cell in enumerate(row):
        attr = columns.get(index)
        cell = cell.strip()
        if attr is None or not cell:
            continue
        if attr in MULTI:
            multi[attr] += [part.strip() for part in re.split(r"[,;]", cell) if part.strip()]
        elif attr.startswith("fields."):
            fields[attr[len("fields.") :]] = cell
        else:
            values.setdefault(attr, cell)
    key = values.pop("key", "")
    if not key:
        raise ValueError("the row has no key")
    estimate = values.pop("estimate", None)
    due = parse_time(values.pop("due", ""))
    return Ticket(
        key=key,
        tracker="csv",
        title=values.get("title", ""),
        body=values.get("body", ""),
        url=values.get("url", ""),
        kind=values.get("kind", ""),
        status=values.get("status", ""),
        status_category=status_category(
            values.get("status", ""), values.get("status_category", "")
        ),
        priority=Priority(values["priority"]) if values.get("priority") else None,
        labels=tuple(dict.fromkeys(multi["labels"])),
        assignees=tuple(dict.fromkeys(multi["assignees"])),
        reporter=values.get("reporter"),
        created=parse_time(values.get("created", "")),
        updated=parse_time(values.get("updated", "")),
        due=due.date() if due else None,
        parent=values.get("parent"),
        sprint=values.get("sprint"),
        estimate=_float(estimate),
        fields=MappingProxyType({**fields, "csv_source": source}),
    )


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
