"""Values of declarative pack rule keys: their type names, how they are read, and the error a bad
one raises (:class:`KindError`, naming the key). Shared by the pack rule kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

STR_LIST = "list of strings"
STR_OR_LIST = "string or list of strings"
NUMBER = "number"
STR_TABLE = "table of strings"
PREDICATE = "condition table"


class KindError(ValueError):
    """A kind-specific key has a bad value; ``key`` names it for the error message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def as_list(value: str | list[str] | None) -> list[str]:
    """A key's value as a list: one string becomes a list of one, absent an empty list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def compile_regexes(key: str, patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """The patterns compiled (any case, multi-line); KindError naming ``key`` for a bad one."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE | re.MULTILINE))
        except re.error as err:
            raise KindError(key, f"invalid regular expression {pattern!r}: {err}") from None
    return compiled
