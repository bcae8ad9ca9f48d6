"""Declarative rule packs: TOML files of rules that need no code.

A pack file has a ``[pack]`` table (``name``, ``prefix``, ``description``) and one ``[[rule]]``
table per rule. Each rule names its ``kind`` (see :mod:`backlint.packs.kinds`), a code starting
with the pack's prefix, a kebab-case name, a family, a severity, a message, the ticket kinds it
applies to (``applies-to``), the status categories it looks at (``statuses``, default the open
ones), and its documentation (``what``, ``why``, ``example``, ``fix``). Every rule compiles to an
ordinary :class:`~backlint.engine.rule.Rule` whose ``origin`` is ``pack:NAME``.

Packs shipped with backlint live in the top-level ``rules/packs`` folder of the source tree and in
``backlint/_packs/packs`` inside the wheel; profiles live next to them in ``profiles``. This module
is a default plugin: it registers every shipped pack's rules through ``register_rules`` (so
``backlint rules`` documents them), and :class:`PackFilePlugin` registers a team's own pack file.
Which packs actually run is decided by the config (``extends`` / ``packs``, see ``selection``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backlint.config.conventions import KINDS as TICKET_KINDS
from backlint.config.profiles import shipped_root
from backlint.engine.rule import CODE_PATTERN, NAME_PATTERN, Rule
from backlint.errors import ConfigError
from backlint.hookspecs import hookimpl
from backlint.model import Severity
from backlint.packs.kinds import COMPILERS, KINDS, NUMBER, PREDICATE, STR_LIST, STR_TABLE, KindError

PACK_ORIGIN = "pack:"
STATUS_CATEGORIES = ("todo", "in_progress", "done")

#: Keys every ``[[rule]]`` accepts, with their types; ``True`` marks the required ones.
COMMON_KEYS: dict[str, tuple[Any, bool]] = {
    "code": (str, True),
    "name": (str, True),
    "kind": (str, True),
    "family": (str, True),
    "severity": (str, False),
    "message": (str, True),
    "applies-to": (STR_LIST, False),
    "statuses": (STR_LIST, False),
    "replaces": (STR_LIST, False),
    "what": (str, True),
    "why": (str, True),
    "example": (str, True),
    "fix": (str, True),
}
PACK_KEYS = {"name": str, "prefix": str, "description": str}


class PackError(ConfigError):
    """A pack file is invalid; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class Pack:
    """A loaded pack: its name, code prefix, description, file and compiled rules."""

    name: str
    prefix: str
    description: str
    path: Path
    rules: tuple[Rule, ...]


def shipped_pack_names() -> tuple[str, ...]:
    """Names of the packs backlint ships, sorted."""
    folder = shipped_root() / "packs"
    return tuple(sorted(p.stem for p in folder.glob("*.toml"))) if folder.is_dir() else ()


@cache
def shipped_pack(name: str) -> Pack:
    """The shipped pack ``name``; PackError when there is none."""
    path = shipped_root() / "packs" / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(shipped_pack_names()) or "none"
        raise PackError(f"unknown pack {name!r} (shipped packs: {known})")
    pack = load_pack(path, ident=name)
    if pack.name != name:
        raise PackError(f"{path}: pack.name: {pack.name!r} differs from the file name {name!r}")
    return pack


def load_pack(path: str | Path, ident: str | None = None) -> Pack:
    """Read, validate and compile one pack file. Raises PackError naming file, rule and key.

    ``ident`` is what the rules' ``origin`` records after ``pack:``: the name of a shipped pack,
    or (the default) the file's resolved path, which is how the config names a team's pack.
    """
    path = Path(path)
    where = str(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise PackError(f"pack file not found: {where}") from None
    except tomllib.TOMLDecodeError as err:
        raise PackError(f"{where}: not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise PackError(f"{where}: not UTF-8 text (TOML files must be UTF-8)") from None
    except OSError as err:
        raise PackError(f"{where}: cannot read: {err.strerror}") from None
    return pack_from_mapping(data, where, path, ident or str(path.resolve()))


def pack_from_mapping(
    data: Mapping[str, Any], where: str, path: Path | None = None, ident: str | None = None
) -> Pack:
    """Validate a parsed pack and compile its rules (``origin`` is ``pack:IDENT``)."""
    for key in data:
        if key not in ("pack", "rule"):
            raise PackError(f"{where}: unknown table {key!r} (expected [pack] and [[rule]])")
    header = data.get("pack")
    if not isinstance(header, Mapping):
        raise PackError(f"{where}: missing [pack] table with name and prefix")
    for key, value in header.items():
        if key not in PACK_KEYS:
            raise PackError(f"{where}: pack: unknown key {key!r} (known: {', '.join(PACK_KEYS)})")
        if not isinstance(value, str):
            raise PackError(f"{where}: pack.{key}: expected a string")
    for key in ("name", "prefix"):
        if not header.get(key):
            raise PackError(f"{where}: pack: missing key {key!r}")
    name, prefix = header["name"], header["prefix"]
    if not NAME_PATTERN.match(name):
        raise PackError(f"{where}: pack.name: {name!r} is not kebab-case")
    if not prefix.isalpha() or not prefix.isupper():
        raise PackError(f"{where}: pack.prefix: {prefix!r} is not upper-case letters (e.g. TEAM)")
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, Mapping) for t in tables):
        raise PackError(f"{where}: rule: expected [[rule]] tables")
    if not tables:
        raise PackError(f"{where}: the pack has no [[rule]] tables")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for index, table in enumerate(tables, start=1):
        label = f"{where}: rule {table.get('code', f'#{index}')}"
        compiled = compile_rule(table, ident or name, prefix, label)
        for taken in (compiled.code, compiled.name):
            if taken in seen:
                raise PackError(f"{where}: rule {compiled.code}: {taken!r} is used twice")
            seen[taken] = compiled.code
        rules.append(compiled)
    return Pack(name, prefix, header.get("description", ""), path or Path(where), tuple(rules))


def _check_type(value: Any, expected: Any) -> str | None:
    """None when ``value`` has the ``expected`` type, else what was expected."""
    if expected == STR_LIST:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "a list of strings"
    if expected == NUMBER:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "a number"
    if expected == STR_TABLE:
        ok = isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())
        return None if ok else "a table of strings"
    if expected == PREDICATE:
        return None if isinstance(value, Mapping) else "a table"
    return None if isinstance(value, expected) else "a string"


def compile_rule(table: Mapping[str, Any], pack: str, prefix: str, where: str) -> Rule:
    """Validate one ``[[rule]]`` table and compile it into a Rule."""
    kind = table.get("kind")
    if kind not in KINDS:
        raise PackError(f"{where}: key 'kind': expected one of {', '.join(KINDS)}, got {kind!r}")
    allowed = {**{k: t for k, (t, _) in COMMON_KEYS.items()}, **KINDS[kind]["keys"]}
    for key, value in table.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise PackError(f"{where}: unknown key {key!r} for a {kind} rule (known: {known})")
        problem = _check_type(value, allowed[key])
        if problem:
            raise PackError(f"{where}: key {key!r}: expected {problem}, got {value!r}")
    for key, (_, required) in COMMON_KEYS.items():
        if required and not table.get(key):
            raise PackError(f"{where}: missing key {key!r}")
    code, name, family = table["code"], table["name"], table["family"]
    if not CODE_PATTERN.match(code) or not code.startswith(prefix):
        raise PackError(f"{where}: key 'code': {code!r} must be {prefix} followed by digits")
    if not code[len(prefix) :].isdigit():
        raise PackError(f"{where}: key 'code': {code!r} must be {prefix} followed by digits")
    for key, value in (("name", name), ("family", family)):
        if not NAME_PATTERN.match(value):
            raise PackError(f"{where}: key {key!r}: {value!r} is not kebab-case")
    try:
        severity = Severity.parse(table.get("severity", "warning"))
    except ValueError as err:
        raise PackError(f"{where}: key 'severity': {err}") from None
    statuses = table.get("statuses", ["todo", "in_progress"])
    for status in statuses:
        if status not in STATUS_CATEGORIES:
            raise PackError(
                f"{where}: key 'statuses': {status!r} is not one of {', '.join(STATUS_CATEGORIES)}"
            )
    for kind_name in table.get("applies-to", ()):
        if kind_name.lower() not in TICKET_KINDS:
            raise PackError(
                f"{where}: key 'applies-to': unknown kind {kind_name!r} "
                f"(kinds: {', '.join(TICKET_KINDS)})"
            )
    message = table["message"]
    _check_placeholders(message, KINDS[kind]["placeholders"], where)
    try:
        func, options = COMPILERS[kind](table, message)
    except KindError as err:
        raise PackError(f"{where}: key {err.key!r}: {err}") from None
    return Rule(
        code=code,
        name=name,
        family=family,
        severity=severity,
        func=_only_statuses(func, frozenset(statuses)),
        kinds=frozenset(k.lower() for k in table.get("applies-to", ())),
        options=MappingProxyType(options),
        doc=_doc(table),
        origin=PACK_ORIGIN + pack,
        replaces=frozenset(code.upper() for code in table.get("replaces", ())),
    )


def _check_placeholders(message: str, names: tuple[str, ...], where: str) -> None:
    try:
        message.format(**{name: "x" for name in names})
    except (KeyError, IndexError) as err:
        raise PackError(
            f"{where}: key 'message': unknown placeholder {{{err.args[0]}}} "
            f"(available: {', '.join('{' + n + '}' for n in names)})"
        ) from None
    except ValueError as err:
        raise PackError(f"{where}: key 'message': {err} (write {{{{ for a literal brace)") from None


def _only_statuses(func, statuses: frozenset[str]):
    """Wrap a compiled rule so it sees only tickets in the given status categories."""

    def pack_rule(ticket, ctx):
        if ticket.status_category in statuses:
            yield from func(ticket, ctx)

    pack_rule.__doc__ = func.__doc__
    return pack_rule


def _doc(table: Mapping[str, Any]) -> str:
    """The rule's documentation in the What/Why/Example/Fix form built-in docstrings use."""
    parts = [f"{title}: {table[key].strip()}" for title, key in _DOC_KEYS]
    return "\n\n".join(parts)


_DOC_KEYS = (("What", "what"), ("Why", "why"), ("Example", "example"), ("Fix", "fix"))


def pack_of(rule: Rule) -> str | None:
    """The pack a rule came from (a shipped pack's name or a pack file's path), or None."""
    return rule.origin[len(PACK_ORIGIN) :] if rule.origin.startswith(PACK_ORIGIN) else None


class PackFilePlugin:
    """A plugin that registers the rules of one team pack file named in the config."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @hookimpl
    def register_rules(self, register):
        for compiled in load_pack(self.path).rules:
            register(compiled)


@hookimpl
def register_rules(register):
    """Register every shipped pack's rules; the config decides which of them run."""
    for name in shipped_pack_names():
        for compiled in shipped_pack(name).rules:
            register(compiled)
