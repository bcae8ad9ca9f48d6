"""The kinds of declarative pack rule: ``forbid``, ``require``, ``condition`` and ``bound``.

Each kind is a compiler: it takes one validated ``[[rule]]`` table and returns a pure rule
function ``func(ticket, ctx)`` plus the rule's options. The functions read only the ticket and
``ctx`` (options, ``ctx.now``), so a pack rule is an ordinary backlint rule once compiled.
``KINDS`` lists, per kind, the keys it accepts and their types; ``packs`` checks them on load.
What a condition can test is in :mod:`backlint.packs.conditions`, what a bound can measure in
:mod:`backlint.packs.measures`, and the key types and :class:`KindError` in
:mod:`backlint.packs.values`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from backlint.engine.rule import RuleContext
from backlint.model import Ticket
from backlint.packs.conditions import (
    check_field_name,
    check_predicate,
    field_is_set,
    holds,
    label_matches,
)
from backlint.packs.measures import MEASURES, measure
from backlint.packs.values import (
    NUMBER,
    PREDICATE,
    STR_LIST,
    STR_TABLE,
    KindError,
    as_list,
    compile_regexes,
)
from backlint.rules.text.util import find_section, strip_code

# packs.py reads the key types and KindError from here.
__all__ = [
    "COMPILERS",
    "KINDS",
    "NUMBER",
    "PREDICATE",
    "STR_LIST",
    "STR_TABLE",
    "KindError",
    "compile_bound",
    "compile_condition",
    "compile_forbid",
    "compile_require",
    "phrase_pattern",
    "render_forbid",
]

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
            if key == "label" and label_matches(ticket, values):
                return True
            if key == "field" and all(field_is_set(ticket, name) for name in values):
                return True
        return False

    def require(ticket: Ticket, ctx: RuleContext):
        if not satisfied(ticket):
            yield message.format(kind=ticket.kind, missing=missing)

    return require, {}


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
