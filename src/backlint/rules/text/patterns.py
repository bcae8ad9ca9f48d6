"""Regular expressions compiled when first used, so importing a rule module stays cheap.

Every ``backlint`` process imports every rule module (plugins load before the command line is
parsed), and one ticket in an Action event reaches only some of the rules' patterns: compiling
all of them at import made the import a large part of the event's time. :func:`lazy` gives a
pattern that compiles itself on first use and from then on hands out the compiled pattern's
own methods, so a rule pays nothing per call for the laziness.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A ``re.Pattern`` stand-in: ``pattern`` (the source) is there at once, everything else
    compiles the pattern, then comes straight from the compiled one."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # called only for what is not set yet
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.flags, self.groups = compiled.flags, compiled.groups
        self.groupindex = compiled.groupindex
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
