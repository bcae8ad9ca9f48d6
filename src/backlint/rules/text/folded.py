"""Case-insensitive patterns that search lower-cased text: the same answers, 2-3x faster.

Python's ``re`` compares every character case-insensitively under ``re.IGNORECASE``, which
makes a long alternation of phrases over a whole body one of the costliest things a rule does.
:class:`Folded` keeps such a pattern and a case-sensitive copy of it, and searches ASCII text
(nearly every ticket) by running the copy over the text lower-cased once (shared through the
text's :class:`~backlint.rules.text.document.Document`). For ASCII text lower-casing keeps every
position and a pattern with no upper-case letter matches exactly where the case-insensitive one
does; other text (where Unicode case folding differs from ``str.lower``) is searched with the
case-insensitive pattern. Both are compiled on first use, so importing a rule module stays cheap.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from backlint.rules.text.document import document

_ESCAPE = re.compile(r"\\[A-Za-z]|\(\?P[<=]")  # escapes and named groups: not letters
#: Texts shorter than this are lower-cased on the spot rather than through their document.
_SHORT = 400


class Folded:
    """A case-insensitive pattern; :meth:`search` answers as ``re.search`` would.

    A match from ASCII text is a match in the lower-cased text: its positions are the text's,
    its groups are lower case (slice the text at the match's span for the words as written).
    A source with an upper-case letter outside escapes (``\\S``, ``\\W``, ...; a pattern a
    team configured, say) is always searched case-insensitively.
    """

    __slots__ = ("_any_case", "_lower_case", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._any_case: re.Pattern[str] | None = None
        self._lower_case: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The case-insensitive pattern itself (for text that is not ASCII)."""
        if self._any_case is None:
            self._any_case = re.compile(self.source, self.flags | re.IGNORECASE)
        return self._any_case

    def _folded(self) -> re.Pattern[str]:
        if self._lower_case is None:
            if any(char.isupper() for char in _ESCAPE.sub("", self.source)):
                self._lower_case = self.pattern  # "[A-Z]" means something: keep the flag
            else:
                self._lower_case = re.compile(self.source, self.flags & ~re.IGNORECASE)
        return self._lower_case

    def search(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize, lowered: str | None = None
    ) -> re.Match[str] | None:
        """The first match in ``text`` (``lowered``: the text lower-cased, when at hand)."""
        if not text.isascii():
            return self.pattern.search(text, pos, endpos)
        folded = self._folded()
        if folded is self._any_case:
            return folded.search(text, pos, endpos)
        if lowered is None:
            lowered = text.lower() if len(text) < _SHORT else document(text).lower
        return folded.search(lowered, pos, endpos)

    def match(self, text: str) -> re.Match[str] | None:
        """A match at the start of ``text``."""
        if not text.isascii():
            return self.pattern.match(text)
        folded = self._folded()
        return folded.match(text if folded is self._any_case else text.lower())

    def as_written(self, text: str, found: re.Match[str]) -> re.Match[str]:
        """``found`` (a match of :meth:`search` or :meth:`finditer` in ``text``) as a match of
        ``text`` itself, so its groups are the words as written."""
        if found.string is text:
            return found
        return self.pattern.match(text, found.start()) or found

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match, in order."""
        if not text.isascii():
            return self.pattern.finditer(text)
        folded = self._folded()
        if folded is self._any_case:
            return folded.finditer(text)
        lowered = text.lower() if len(text) < _SHORT else document(text).lower
        return folded.finditer(lowered)
