"""The kinds of declarative pack rule: ``forbid``, ``require``, ``condition`` and ``bound``.

Each kind is a compiler: it takes one validated ``[[rule]]`` table and returns a pure rule
function ``func(ticket, ctx)`` plus the rule's options. The functions read only the ticket and
``ctx`` (options, ``ctx.now``), so a pack rule is an ordinary backlint rule once compiled.
``KINDS`` lists, per kind, the keys it accepts and their types; ``packs`` checks them on load.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from backlint.model import Ticket
from backlint.rule import RuleContext
from backlint.rules.criteria import acceptance_text
from backlint.rules.textutil import find_section, strip_code, words

STR_LIST = "list of strings"
STR_OR_LIST = "string or list of strings"
NUMBER = "number"
STR_TABLE = "table of strings"
PREDICATE = "condition table"

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

#: What a ``bound`` rule can measure.
MEASURES = (
    "title-words",
    "title-chars",
    "body-words",
    "labels",
    "assignees",
    "components",
    "links",
    "children",
    "criteria",
    "estimate",
    "age-days",
    "idle-days",
)

#: Keys each kind accepts besides the common ones, with their types; ``placeholders`` are the
#: names a message may use in ``{braces}``.
KINDS: dict[str, dict[str, Any]] = {
    "forbid": {
        "keys": {"phrases": STR_LIST, "patterns": STR_LIST, "suggest": STR_TABLE, "in": STR_LIST},
        "placeholders": ("found", "where", "suggestion", "kind"),
    },
    "require": {
        "keys": {
            "section": STR_LIST,
            "pattern": STR_LIST,
            "label": STR_LIST,
            "field": STR_LIST,
            "in": STR_LIST,
        },
        "placeholders": ("kind", "missing"),
    },
    "condition": {
        "keys": {"when": PREDICATE, "require": PREDICATE},
        "placeholders": ("kind", "status", "priority", "labels"),
    },
    "bound": {
        "keys": {"measure": str, "min": NUMBER, "max": NUMBER},
        "placeholders": ("kind", "value", "min", "max", "measure"),
    },
}

TEXT_PLACES = ("title", "body")

Compiled = tuple[Callable[[Ticket, RuleContext], Iterable[str]], dict[str, Any]]


class KindError(ValueError):
    """A kind-specific key has a bad value; ``key`` names it for the error message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


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
    if not (name in TICKET_FIELDS or (name.startswith("fields.") and len(name) > 7)):
        known = ", ".join(TICKET_FIELDS)
        raise KindError(key, f"unknown field {name!r} (known: {known}, or fields.NAME)")


def compile_regexes(key: str, patterns: Iterable[str]) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE | re.MULTILINE))
        except re.error as err:
            raise KindError(key, f"invalid regular expression {pattern!r}: {err}") from None
    return compiled


def _texts(ticket: Ticket, places: Iterable[str]) -> list[tuple[str, str]]:
    return [(p, ticket.title if p == "title" else strip_code(ticket.body)) for p in places]


def _check_places(key: str, places: list[str]) -> list[str]:
    for place in places:
        if place not in TEXT_PLACES:
            raise KindError(key, f"expected 'title' and/or 'body', got {place!r}")
    return places or list(TEXT_PLACES)


def phrase_pattern(phrase: str) -> str:
    """A regex matching ``phrase`` as whole words, any case, any run of spaces."""
    parts = [re.escape(part) for part in phrase.split()]
    body = r"\s+".join(parts)
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def compile_forbid(table: Mapping[str, Any], message: str) -> Compiled:
    """A phrase or pattern must not appear; each distinct match is one finding."""
    phrases, patterns = as_list(table.get("phrases")), as_list(table.get("patterns"))
    if not phrases and not patterns:
        raise KindError("phrases", "a forbid rule needs 'phrases' or 'patterns'")
    compile_regexes("patterns", patterns)
    places = _check_places("in", as_list(table.get("in")))
    suggest = {k.lower(): v for k, v in dict(table.get("suggest", {})).items()}

    def forbid(ticket: Ticket, ctx: RuleContext):
        regexes = [phrase_pattern(p) for p in ctx.options["phrases"]] + list(
            ctx.options["patterns"]
        )
        compiled = [re.compile(r, re.IGNORECASE | re.MULTILINE) for r in regexes]
        seen: set[str] = set()
        for where, text in _texts(ticket, places):
            for regex in compiled:
                for match in regex.finditer(text):
                    found = " ".join(match.group(0).split())
                    if not found or found.lower() in seen:
                        continue
                    seen.add(found.lower())
                    suggestion = suggest.get(found.lower(), "")
                    yield render_forbid(message, found, where, suggestion, ticket.kind)

    return forbid, {"phrases": phrases, "patterns": patterns}


def render_forbid(message: str, found: str, where: str, suggestion: str, kind: str) -> str:
    """The message with its placeholders filled; a suggestion not placed is appended."""
    text = message.format(found=found, where=where, suggestion=suggestion, kind=kind)
    if suggestion and "{suggestion}" not in message:
        text = f"{text.rstrip()} Suggested: {suggestion}."
    return text


def compile_require(table: Mapping[str, Any], message: str) -> Compiled:
    """Something must be present: a section, a text pattern, a label, or fields.

    Each key given is one way to satisfy the rule (any one is enough); ``field`` is satisfied
    when every field it lists is set.
    """
    given = [k for k in ("section", "pattern", "label", "field") if k in table]
    if not given:
        raise KindError("section", "a require rule needs section, pattern, label or field")
    ways = {key: as_list(table[key]) for key in given}
    for key, values in ways.items():
        if not values:
            raise KindError(key, "must not be empty")
        if key == "field":
            for name in values:
                check_field_name("field", name)
        elif key != "label":
            compile_regexes(key, values)
    places = _check_places("in", as_list(table.get("in")))
    first = next(iter(ways.items()))
    missing = {
        "section": f"a section headed {first[1][0]!r}",
        "pattern": f"text matching {first[1][0]!r}",
        "label": f"a label matching {first[1][0]!r}",
        "field": ", ".join(first[1]),
    }[first[0]]

    def satisfied(ticket: Ticket) -> bool:
        for key, values in ways.items():
            if key == "section" and find_section(ticket.body, *values) is not None:
                return True
            if key == "pattern":
                texts = [text for _, text in _texts(ticket, places)]
                flags = re.IGNORECASE | re.MULTILINE | re.DOTALL
                if any(re.search(p, t, flags) for p in values for t in texts):
                    return True
            if key == "label" and _label_matches(ticket, values):
                return True
            if key == "field" and all(field_is_set(ticket, name) for name in values):
                return True
        return False

    def require(ticket: Ticket, ctx: RuleContext):
        if not satisfied(ticket):
            yield message.format(kind=ticket.kind, missing=missing)

    return require, {}


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


def _label_matches(ticket: Ticket, globs: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(lab.lower(), g.lower()) for lab in ticket.labels for g in globs)


def _link_matches(ticket: Ticket, patterns: list[str]) -> bool:
    relations = [link.relation for link in ticket.links]
    return any(re.search(p, rel, re.IGNORECASE) for rel in relations for p in patterns)


def _holds_one(ticket: Ticket, name: str, values: list[str]) -> bool:
    lowered = [v.lower() for v in values]
    if name == "kind":
        return ticket.kind in lowered
    if name == "label":
        return _label_matches(ticket, values)
    if name == "not-label":
        return not _label_matches(ticket, values)
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


def compile_condition(table: Mapping[str, Any], message: str) -> Compiled:
    """When every ``when`` condition holds, every ``require`` condition must hold too."""
    if "require" not in table:
        raise KindError("require", "a condition rule needs a 'require' table")
    when = check_predicate("when", table["when"]) if "when" in table else {}
    required = check_predicate("require", table["require"])

    def condition(ticket: Ticket, ctx: RuleContext):
        if holds(ticket, when) and not holds(ticket, required):
            yield message.format(
                kind=ticket.kind,
                status=ticket.status,
                priority=ticket.priority.name if ticket.priority else "none",
                labels=", ".join(ticket.labels) or "none",
            )

    return condition, {}


def criteria_count(ticket: Ticket) -> int | None:
    """How many acceptance criteria the ticket has (list items, else Given lines); None if none."""
    text = acceptance_text(ticket)
    if text is None:
        return None
    items = re.findall(r"^\s*(?:[-*+]|\d+[.)])\s+\S", text, re.MULTILINE)
    if items:
        return len(items)
    scenarios = re.findall(r"^\s*(?:\*\*)?given\b", text, re.IGNORECASE | re.MULTILINE)
    return len(scenarios) or 1


def _days(now: datetime, then: datetime | None) -> float | None:
    if then is None:
        return None
    then = then if then.tzinfo else then.replace(tzinfo=UTC)
    return (now - then).total_seconds() / 86400


def measure(ticket: Ticket, name: str, ctx: RuleContext) -> float | None:
    """The value of ``name`` (one of MEASURES) on ``ticket``; None when it cannot be known.

    ``children`` counts the ticket's own child keys and the backlog tickets naming it as parent.
    """
    now = ctx.now
    if name == "title-words":
        return len(words(ticket.title))
    if name == "title-chars":
        return len(ticket.title.strip())
    if name == "body-words":
        return len(words(strip_code(ticket.body)))
    if name == "children":
        return len(set(ticket.children) | {c.key for c in ctx.backlog.children_of(ticket.key)})
    if name in ("labels", "assignees", "components", "links"):
        return len(getattr(ticket, name))
    if name == "criteria":
        return criteria_count(ticket)
    if name == "estimate":
        return ticket.estimate
    if name == "age-days":
        return _days(now, ticket.created)
    if name == "idle-days":
        times = [t for t in (ticket.updated, *(a.at for a in ticket.activity)) if t]
        return _days(now, max(times)) if times else None
    raise AssertionError(name)  # compile_bound rejects unknown measures


def compile_bound(table: Mapping[str, Any], message: str) -> Compiled:
    """A measured value must lie within ``min``..``max`` (both options, either may be absent)."""
    name = table.get("measure")
    if name not in MEASURES:
        raise KindError("measure", f"expected one of {', '.join(MEASURES)}, got {name!r}")
    low, high = table.get("min"), table.get("max")
    if low is None and high is None:
        raise KindError("min", "a bound rule needs 'min', 'max' or both")
    if low is not None and high is not None and low > high:
        raise KindError("min", f"min ({low}) is greater than max ({high})")

    def bound(ticket: Ticket, ctx: RuleContext):
        value = measure(ticket, name, ctx)
        low, high = ctx.options["min"], ctx.options["max"]
        if value is None:
            return
        if (low is not None and value < low) or (high is not None and value > high):
            shown = int(value) if float(value).is_integer() or name.endswith("-days") else value
            yield message.format(kind=ticket.kind, value=shown, min=low, max=high, measure=name)

    return bound, {"min": low, "max": high}


COMPILERS: dict[str, Callable[[Mapping[str, Any], str], Compiled]] = {
    "forbid": compile_forbid,
    "require": compile_require,
    "condition": compile_condition,
    "bound": compile_bound,
}
