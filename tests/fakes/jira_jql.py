"""The slice of JQL the fake Jira understands: ``AND``-joined clauses, parentheses, ``ORDER BY``.

Clauses: ``project``, ``key``/``issuekey``, ``statusCategory``, ``status``, ``labels``,
``issuetype``/``type``, ``priority`` with ``=``, ``!=``, ``in``, ``not in``; ``summary ~ "text"``;
``updated``/``created`` with ``>=``, ``>``, ``<=``, ``<`` and a ``"yyyy/MM/dd HH:mm"`` (or
``yyyy-MM-dd``) date read in the account's time zone, which for the fake is UTC (as its
timestamps are); a literal names a minute, so it means that minute's first second.
Errors read like Jira's (``Field 'x' does not exist ...``, ``Error in the JQL Query: ...``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ORDER = re.compile(r"\border\s+by\s+(?P<spec>.*)$", re.IGNORECASE | re.DOTALL)
CLAUSE = re.compile(
    r"^(?P<field>[A-Za-z][\w.]*)\s*(?P<op>!=|=|~|not\s+in\b|in\b)\s*(?P<value>.+)$",
    re.IGNORECASE | re.DOTALL,
)
CATEGORY = {
    "done": "done",
    "to do": "new",
    "new": "new",
    "in progress": "indeterminate",
    "indeterminate": "indeterminate",
}


class JqlError(Exception):
    """The query is not valid JQL (for the fake); the text is what Jira would say."""


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _split_and(text: str) -> list[str]:
    parts, depth, quote, start = [], 0, "", 0
    lowered = text.lower()
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and lowered.startswith(" and ", i):
            parts.append(text[start:i])
            start = i + 5
            i += 4
        elif depth == 0 and lowered.startswith(" or ", i):
            raise JqlError("Error in the JQL Query: OR is not supported by the fake.")
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _values(field_name: str, issue_key: str, fields: dict[str, Any]) -> list[str]:
    name = field_name.lower()
    if name in ("key", "issuekey"):
        return [issue_key.lower()]
    if name == "project":
        return [issue_key.rsplit("-", 1)[0].lower()]
    if name == "statuscategory":
        category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key", "new")
        return [category]
    if name == "labels":
        return [str(label).lower() for label in fields.get("labels") or []]
    source = {
        "status": "status",
        "issuetype": "issuetype",
        "type": "issuetype",
        "priority": "priority",
    }[name]
    value = fields.get(source) or {}
    return [str(value.get("name") or "").lower()] if value else []


DATE_CLAUSE = re.compile(
    r"^(?P<field>updated|created)\s*(?P<op>>=|<=|>|<)\s*(?P<value>.+)$", re.IGNORECASE
)


def _jql_minutes(value: str) -> str:
    """A JQL date literal as ``yyyy-MM-ddTHH:mm`` (UTC for the fake); JqlError if malformed."""
    match = re.fullmatch(r"(\d{4})[/-](\d\d)[/-](\d\d)(?:\s+(\d\d):(\d\d))?", _unquote(value))
    if match is None:
        raise JqlError(
            f"Date value '{_unquote(value)}' for field 'updated' is invalid. Valid formats "
            "include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'."
        )
    year, month, day, hour, minute = match.groups()
    return f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}"


def _date_clause(match: re.Match[str]) -> Callable[[str, dict[str, Any]], bool]:
    bound, op = _jql_minutes(match["value"]) + ":00", match["op"]
    name = match["field"].lower()

    def test(key: str, fields: dict[str, Any]) -> bool:
        stamp = str(fields.get(name) or "")[:19]  # the fake's times are UTC: +0000
        return {">=": stamp >= bound, ">": stamp > bound, "<=": stamp <= bound}.get(
            op, stamp < bound
        )

    return test


def _clause(text: str) -> Callable[[str, dict[str, Any]], bool]:
    text = _strip_parens(text)
    dated = DATE_CLAUSE.match(text)
    if dated is not None:
        return _date_clause(dated)
    if " and " in text.lower() and text.count("(") == text.count(")"):
        parts = [_clause(part) for part in _split_and(text)]
        return lambda key, fields: all(p(key, fields) for p in parts)
    match = CLAUSE.match(text)
    if match is None:
        word = text.split()[0] if text.split() else text
        raise JqlError(f"Error in the JQL Query: Expecting operator but got '{word}'.")
    field_name, op = match["field"], " ".join(match["op"].lower().split())
    known = {
        "key",
        "issuekey",
        "project",
        "statuscategory",
        "labels",
        "status",
        "issuetype",
        "type",
        "priority",
        "summary",
        "text",
    }
    if field_name.lower() not in known:
        raise JqlError(
            f"Field '{field_name}' does not exist or you do not have permission to view it."
        )
    raw = match["value"].strip()
    if op == "~":
        needle = _unquote(raw).lower()
        return lambda key, fields: needle in str(fields.get("summary") or "").lower()
    if op in ("in", "not in"):
        inner = _strip_parens(raw)
        wanted = {_unquote(v).lower() for v in inner.split(",") if v.strip()}
    else:
        wanted = {_unquote(raw).lower()}
    if field_name.lower() == "statuscategory":
        wanted = {CATEGORY.get(v, v) for v in wanted}
    negate = op in ("!=", "not in")

    def test(key: str, fields: dict[str, Any]) -> bool:
        hit = bool(set(_values(field_name, key, fields)) & wanted)
        return hit != negate

    return test


def _order(spec: str | None):
    spec = (spec or "key ASC").strip()
    name, _, direction = spec.partition(" ")
    reverse = direction.strip().lower() == "desc"

    def number(key: str) -> tuple[str, int]:
        project, _, n = key.rpartition("-")
        return project, int(n) if n.isdigit() else 0

    def order(keys: list[str], issues: dict[str, Any]) -> list[str]:
        if name.lower() == "updated":
            return sorted(
                keys, key=lambda k: issues[k]["fields"].get("updated") or "", reverse=reverse
            )
        return sorted(keys, key=number, reverse=reverse)

    return order


def compile_jql(jql: str, cloud: bool):
    """(predicate(key, fields), order(keys, issues)) for ``jql``; raises JqlError."""
    text = jql.strip()
    order_match = ORDER.search(text)
    where = text[: order_match.start()].strip() if order_match else text
    parts = [_clause(p) for p in _split_and(where)] if where else []
    if cloud and not parts:
        raise JqlError(
            "Unbounded JQL queries are not allowed here. Please add a search restriction to "
            "your query."
        )

    def predicate(key: str, fields: dict[str, Any]) -> bool:
        return all(p(key, fields) for p in parts)

    return predicate, _order(order_match["spec"] if order_match else None)


KEY_LIST = re.compile(r"\b(?:issue)?key\s+in\s*\((?P<keys>[^)]*)\)", re.IGNORECASE)


def check_keys_exist(jql: str, known: Any) -> None:
    """Jira rejects a ``key in (...)`` query naming an issue that does not exist (HTTP 400)
    instead of leaving it out; so does the fake."""
    for match in KEY_LIST.finditer(jql):
        for key in (_unquote(k) for k in match["keys"].split(",") if k.strip()):
            if key.upper() not in known:
                raise JqlError(f"An issue with key '{key}' does not exist for field 'key'.")
