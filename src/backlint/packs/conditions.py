"""What a declarative pack rule can test on a ticket: fields that are set, and ``condition``
tables (kind, labels, status, priority, fields, links), validated on load and checked per ticket.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any

from backlint.model import Ticket
from backlint.packs.values import STR_OR_LIST, KindError, as_list, compile_regexes

#: Ticket attributes a ``field``/``has``/``lacks`` key may name; ``fields.NAME`` reads
#: ``Ticket.fields`` (tracker extras such as a configured Jira field).
TICKET_FIELDS = (
    "assignees",
    "children",
    "components",
    "due",
    "estimate",
    "labels",
    "links",
    "milestone",
    "parent",
    "priority",
    "reporter",
    "sprint",
)

#: What a ``condition`` table may test. Every key present must hold (logical AND); a list value
#: means "any of these".
PREDICATE_KEYS = {
    "kind": "the ticket's kind is one of these",
    "label": "some label matches one of these globs (case-insensitive, e.g. severity:*)",
    "not-label": "no label matches any of these globs",
    "status": "the tracker's status name is one of these (case-insensitive)",
    "status-category": "the status category is one of these: todo, in_progress, done",
    "priority": "the priority name is one of these (case-insensitive; 'none' = no priority)",
    "has": "every one of these fields is set (see TICKET_FIELDS, or fields.NAME)",
    "lacks": "none of these fields is set",
    "link": "some link's relation matches one of these regexes (e.g. 'is blocked by')",
    "no-link": "no link's relation matches any of these regexes",
}


def field_is_set(ticket: Ticket, name: str) -> bool:
    """True when the ticket attribute (or ``fields.NAME``) holds a non-empty value."""
    if name.startswith("fields."):
        value = ticket.fields.get(name[len("fields.") :])
    else:
        value = getattr(ticket, name, None)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (tuple, list, dict, Mapping)):
        return len(value) > 0
    return value is not None


def check_field_name(key: str, name: str) -> None:
    """KindError naming ``key`` unless ``name`` is in TICKET_FIELDS or is ``fields.NAME``."""
    if not (name in TICKET_FIELDS or (name.startswith("fields.") and len(name) > 7)):
        known = ", ".join(TICKET_FIELDS)
        raise KindError(key, f"unknown field {name!r} (known: {known}, or fields.NAME)")


def check_predicate(key: str, table: Any) -> dict[str, list[str]]:
    """Validate a ``when``/``require`` table; values become lists."""
    if not isinstance(table, Mapping) or not table:
        raise KindError(key, "expected a non-empty table of conditions")
    checked: dict[str, list[str]] = {}
    for name, value in table.items():
        if name not in PREDICATE_KEYS:
            known = ", ".join(PREDICATE_KEYS)
            raise KindError(f"{key}.{name}", f"unknown condition (known: {known})")
        if not (
            isinstance(value, str)
            or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        ):
            raise KindError(f"{key}.{name}", f"expected a {STR_OR_LIST}")
        checked[name] = as_list(value)
        if name in ("has", "lacks"):
            for field in checked[name]:
                check_field_name(f"{key}.{name}", field)
        if name in ("link", "no-link"):
            compile_regexes(f"{key}.{name}", checked[name])
    return checked


def holds(ticket: Ticket, predicate: Mapping[str, list[str]]) -> bool:
    """True when every condition of ``predicate`` holds for ``ticket``."""
    return all(_holds_one(ticket, name, values) for name, values in predicate.items())


def label_matches(ticket: Ticket, globs: list[str]) -> bool:
    """True when some label of ``ticket`` matches some glob (case-insensitive)."""
    return any(fnmatch.fnmatchcase(lab.lower(), g.lower()) for lab in ticket.labels for g in globs)


def _link_matches(ticket: Ticket, patterns: list[str]) -> bool:
    relations = [link.relation for link in ticket.links]
    return any(re.search(p, rel, re.IGNORECASE) for rel in relations for p in patterns)


def _holds_one(ticket: Ticket, name: str, values: list[str]) -> bool:
    lowered = [v.lower() for v in values]
    if name == "kind":
        return ticket.kind in lowered
    if name == "label":
        return label_matches(ticket, values)
    if name == "not-label":
        return not label_matches(ticket, values)
    if name == "status":
        return ticket.status.lower() in lowered
    if name == "status-category":
        return ticket.status_category in lowered
    if name == "priority":
        current = ticket.priority.name.lower() if ticket.priority else "none"
        return current in lowered
    if name == "has":
        return all(field_is_set(ticket, v) for v in values)
    if name == "lacks":
        return not any(field_is_set(ticket, v) for v in values)
    if name == "link":
        return _link_matches(ticket, values)
    if name == "no-link":
        return not _link_matches(ticket, values)
    raise AssertionError(name)  # check_predicate rejects unknown names
