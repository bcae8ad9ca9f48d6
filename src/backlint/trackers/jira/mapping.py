"""Jira REST issue objects (Cloud v3 with ADF, Server/Data Center v2 with wiki markup) → Ticket.

Used by the file source and the Jira tracker. Custom field ids (story points, epic link, sprint,
acceptance criteria) come from :class:`JiraFields`: the config wins, then ids found by field name
(``names`` in a response expanded with ``names``, or ``/field``), then the ids Jira Cloud and
Data Center use by default.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from backlint.markup import adf_to_text, wiki_to_text
from backlint.model import Activity, Link, Priority, Ticket

STATUS_CATEGORY = {
    "new": "todo",
    "undefined": "todo",
    "indeterminate": "in_progress",
    "done": "done",
}

#: Field names (as Jira shows them) that identify each custom field.
FIELD_NAMES = {
    "story_points": ("story point estimate", "story points", "story point"),
    "epic_link": ("epic link",),
    "sprint": ("sprint",),
    "acceptance_criteria": ("acceptance criteria", "acceptance criterion"),
}
#: Custom field types (``schema.custom`` in ``/field``) that identify a purpose whatever the name.
FIELD_TYPES = {
    "com.pyxis.greenhopper.jira:jsw-story-points": "story point estimate",
    "com.pyxis.greenhopper.jira:gh-epic-link": "epic link",
    "com.pyxis.greenhopper.jira:gh-sprint": "sprint",
}
DEFAULT_FIELD_IDS = {
    "story_points": ("customfield_10016", "customfield_10026", "customfield_10002"),
    "epic_link": ("customfield_10014", "customfield_10008"),
    "sprint": ("customfield_10020", "customfield_10007"),
    "acceptance_criteria": (),
}


@dataclass(frozen=True)
class JiraFields:
    """Which custom field holds what. Each entry lists candidate ids, first present wins."""

    story_points: tuple[str, ...] = DEFAULT_FIELD_IDS["story_points"]
    epic_link: tuple[str, ...] = DEFAULT_FIELD_IDS["epic_link"]
    sprint: tuple[str, ...] = DEFAULT_FIELD_IDS["sprint"]
    acceptance_criteria: tuple[str, ...] = ()

    @classmethod
    def resolve(
        cls,
        configured: Mapping[str, Any] | None = None,
        names: Mapping[str, str] | None = None,
        complete: bool = False,
    ) -> JiraFields:
        """Config (``[jira.fields]``) first, then ids found by name, then defaults.

        ``complete`` says ``names`` lists every field of the site (``/field``): the default ids
        are then left out, since on that site they may hold something else.
        """
        configured = configured or {}
        found: dict[str, tuple[str, ...]] = {}
        for purpose, defaults in DEFAULT_FIELD_IDS.items():
            value = configured.get(purpose) or configured.get(purpose.replace("_", "-"))
            if value:
                found[purpose] = (value,) if isinstance(value, str) else tuple(value)
                continue
            by_name = tuple(
                field_id
                for field_id, name in (names or {}).items()
                if str(name).strip().lower() in FIELD_NAMES[purpose]
            )
            fallback = () if complete else tuple(d for d in defaults if d not in by_name)
            found[purpose] = by_name + fallback
        return cls(**found)

    def all_ids(self) -> tuple[str, ...]:
        return self.story_points + self.epic_link + self.sprint + self.acceptance_criteria


def names_from_fields(fields: Any) -> dict[str, str]:
    """``/field`` (a list of field objects) → ``{id: name}`` for :meth:`JiraFields.resolve`.

    A field whose custom type is a known one (story points, epic link, sprint) is named after
    its purpose, so a renamed field (e.g. "Punkte") is still found.
    """
    names: dict[str, str] = {}
    for field in fields or ():
        if not isinstance(field, Mapping) or not field.get("id"):
            continue
        schema = field.get("schema") if isinstance(field.get("schema"), Mapping) else {}
        custom_type = str(schema.get("custom") or "")
        names[str(field["id"])] = FIELD_TYPES.get(custom_type) or str(field.get("name") or "")
    return names


def parse_time(value: Any) -> datetime | None:
    """Jira's ``2026-03-14T09:12:44.000+0000`` → aware datetime.

    A time without an offset (some exports and plugins drop it) is read as UTC, so it can be
    compared with the aware times of the rest of the backlog.
    """
    if not value or not isinstance(value, str):
        return None
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value.strip())
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_date(value: Any) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def text_of(value: Any) -> str:
    """A description or text field, ADF (dict) or wiki markup (str), as plain text."""
    if isinstance(value, Mapping):
        return adf_to_text(dict(value))
    if isinstance(value, str):
        return wiki_to_text(value)
    return ""


def _first(fields: Mapping[str, Any], ids: tuple[str, ...]) -> Any:
    for field_id in ids:
        value = fields.get(field_id)
        if value not in (None, "", []):
            return value
    return None


def _name(value: Any, key: str = "name") -> str:
    return str(value.get(key) or "") if isinstance(value, Mapping) else ""


def _status(fields: Any) -> tuple[str, str]:
    status = fields.get("status") if isinstance(fields, Mapping) else None
    category = _name(status.get("statusCategory") if isinstance(status, Mapping) else None, "key")
    return _name(status), STATUS_CATEGORY.get(category, "todo")


def _sprint(value: Any) -> tuple[str | None, str | None]:
    """The active sprint, else the last (Cloud: objects; Data Center: ``Sprint@1[...]``)."""
    if not isinstance(value, list) or not value:
        return None, None
    sprints = []
    for item in value:
        if isinstance(item, Mapping):
            sprints.append((str(item.get("name") or ""), str(item.get("state") or "").lower()))
        elif isinstance(item, str):
            name = re.search(r"name=([^,\]]*)", item)
            state = re.search(r"state=([^,\]]*)", item)
            sprints.append(
                (name.group(1) if name else item, state.group(1).lower() if state else "")
            )
    active = [s for s in sprints if s[1] == "active"]
    return (active or sprints)[-1]


def _link(entry: Any) -> Link | None:
    if not isinstance(entry, Mapping):
        return None
    kind = entry.get("type") or {}
    if "outwardIssue" in entry:
        other, relation = entry["outwardIssue"], _name(kind, "outward")
    elif "inwardIssue" in entry:
        other, relation = entry["inwardIssue"], _name(kind, "inward")
    else:
        return None
    return _linked(other, relation or _name(kind))


def _linked(other: Any, relation: str) -> Link | None:
    if not isinstance(other, Mapping) or not other.get("key"):
        return None
    fields = _mapping(other.get("fields"))
    status, category = _status(fields)
    priority = _name(fields.get("priority"))
    title = fields.get("summary")
    return Link(
        relation=relation,
        key=_scalar(other["key"]),
        kind=_name(fields.get("issuetype")) or None,
        status=status or None,
        status_category=category if status else None,
        title=_scalar(title) if title is not None else None,
        priority=Priority(priority) if priority else None,
    )


def ticket_from_issue(
    issue: Mapping[str, Any], fields_map: JiraFields, base_url: str = ""
) -> Ticket:
    """Map one Jira issue. Raises ValueError when it has no key or no fields."""
    key = issue.get("key")
    fields = issue.get("fields")
    if not isinstance(key, str) or not key.strip() or not isinstance(fields, Mapping):
        raise ValueError("issue has no key or no fields")
    status, category = _status(fields)
    parent_link = _linked(fields.get("parent"), "parent")
    epic = _first(fields, fields_map.epic_link)
    parent = parent_link.key if parent_link else (epic if isinstance(epic, str) else None)
    sprint, sprint_state = _sprint(_first(fields, fields_map.sprint))
    estimate = _first(fields, fields_map.story_points)
    activity, comments = _comments(fields.get("comment"))
    subtasks = [s for s in _list(fields.get("subtasks")) if isinstance(s, Mapping) and s.get("key")]
    criteria = _first(fields, fields_map.acceptance_criteria)
    extra: dict[str, Any] = {
        "fix_versions": tuple(_name(v) for v in _list(fields.get("fixVersions"))),
        "subtasks_open": sum(1 for s in subtasks if _status(s.get("fields"))[1] != "done"),
    }
    if parent_link:
        extra["parent_link"] = parent_link
    if criteria is not None:
        extra["acceptance_criteria"] = text_of(criteria)
    raw_description = fields.get("description")
    # The wiki markup is kept only when the engine may find a suppression in it (as on
    # GitHub): any other description's markup would only double its memory for the run.
    if isinstance(raw_description, str) and "backlint" in raw_description.lower():
        extra["body_markup"] = raw_description
    priority = _name(fields.get("priority"))
    if not base_url:
        base_url = str(issue.get("self") or "").split("/rest/api/", 1)[0]
    return Ticket(
        key=key,
        tracker="jira",
        title=str(fields.get("summary") or "").strip(),
        body=text_of(raw_description),
        url=f"{base_url}/browse/{key}" if base_url else "",
        kind=_name(fields.get("issuetype")),
        status=status,
        status_category=category,
        priority=Priority(priority) if priority else None,
        labels=tuple(str(label) for label in _list(fields.get("labels"))),
        assignees=tuple(filter(None, [_person(fields.get("assignee"))])),
        reporter=_person(fields.get("reporter")),
        created=parse_time(fields.get("created")),
        updated=parse_time(fields.get("updated")),
        due=parse_date(fields.get("duedate")),
        parent=parent,
        links=tuple(filter(None, (_link(e) for e in _list(fields.get("issuelinks"))))),
        children=tuple(_scalar(s["key"]) for s in subtasks),
        milestone=None,
        sprint=sprint,
        sprint_state=sprint_state,
        estimate=_estimate(estimate),
        components=tuple(_name(c) for c in _list(fields.get("components"))),
        activity=activity,
        fields=MappingProxyType(extra),
        # A plain dict inside, as Jira sent it: readers test ``isinstance(..., dict)``.
        raw=MappingProxyType({"fields": kept_fields(fields, comments)}),
    )


def kept_fields(fields: Mapping[str, Any], comments: dict[str, Any] | None) -> dict[str, Any]:
    """What ``Ticket.raw["fields"]`` keeps of the issue's fields, for write-back and plugins.

    The labels as Jira sent them and the resolution; every custom field that holds a value
    (``customfield_*``: a team's own fields, for plugin rules); and ``comments``, the comment
    block as :func:`_comments` keeps it. The rest (users with avatars, status objects, ADF
    trees) is mapped or dropped, not held for the whole run.
    """
    kept = {
        name: value
        for name, value in fields.items()
        if name.startswith("customfield_") and value is not None
    }
    for name in ("labels", "resolution"):
        if name in fields:
            kept[name] = fields[name]
    if comments is not None:
        kept["comment"] = comments
    return kept


def _comments(block: Any) -> tuple[tuple[Activity, ...], dict[str, Any] | None]:
    """The comments' activity, and the comment block as ``raw`` keeps it: its total and each
    comment's id, with the body only when it may be backlint's marker comment (write-back looks
    for that one there); None when the issue has no comment block."""
    if not isinstance(block, Mapping):
        return (), None
    kept: dict[str, Any] = {"comments": []}
    if "total" in block:
        kept["total"] = block["total"]
    activity = []
    for comment in _list(block.get("comments")):
        if not isinstance(comment, Mapping):
            continue
        body = comment.get("body")
        text = body if isinstance(body, str) else json.dumps(body)
        slim = {"id": comment.get("id")}
        if "backlint" in text:
            slim["body"] = body
        kept["comments"].append(slim)
        event = _comment_activity(comment, "backlint:v1 digest=" in text)
        if event is not None:
            activity.append(event)
    return tuple(activity), kept


def _person(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    for name in ("accountId", "name", "displayName"):
        if value.get(name) and isinstance(value[name], (str, int)):
            return str(value[name])
    return None


def _comment_activity(comment: Mapping[str, Any], ours: bool) -> Activity | None:
    """One comment as activity; ``ours``: its body holds backlint's marker line."""
    author = comment.get("author") or {}
    at = parse_time(comment.get("updated") or comment.get("created"))
    if at is None:
        return None
    # backlint's own comment is posted with whoever's token ran it; it is never human activity,
    # or applying a staleness finding would make the ticket look fresh.
    return Activity(
        at=at,
        actor="backlint" if ours else (_name(author, "displayName") or _person(author) or ""),
        kind="comment",
        is_bot=ours or _name(author, "accountType") == "app",
    )


def _list(value: Any) -> list[Any]:
    """A JSON list, or nothing: a stray string must not become one label per character."""
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object, or an empty one: odd shapes in an export read as absent."""
    return value if isinstance(value, Mapping) else {}


def _scalar(value: Any) -> str:
    """A key or a title as text; an object or a list where text belongs is an unreadable ticket."""
    if isinstance(value, (dict, list)):
        shape = "an object" if isinstance(value, dict) else "a list"
        raise ValueError(f"a linked key or title is {shape}, not text")
    return str(value)


def _estimate(value: Any) -> float | None:
    """Story points as a finite number; true/false, NaN and infinities are no estimate.

    Jira's own numbers are finite, but a hand-made export may hold anything (``1e999``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
