"""Markdown backslash escapes carried safely through a conversion to another markup.

backlint's comment text is Markdown whose quoted tracker text is backslash-escaped
(``\\[x\\](y)`` is literal text, not a link). Before a converter looks for markup, :func:`protect`
turns every escaped character into a private-use stand-in, so no pattern can match across it;
:func:`restore` turns the stand-ins back into the literal character, escaped the way the target
markup needs (nothing for ADF, whose text is literal; a backslash for Jira wiki markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_BASE = 0xE000  # Unicode private use area: never in backlint's own text
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_STAND_IN = re.compile("[\ue000-\ue07f]")


def protect(text: str) -> str:
    """``text`` with each ``\\X`` (X an ASCII punctuation mark) replaced by a stand-in."""
    return _ESCAPED.sub(lambda m: chr(_BASE + ord(m.group(1))), text)


def restore(text: str, escape: Callable[[str], str] = lambda char: char) -> str:
    """Stand-ins back to their characters, each passed through ``escape``."""
    return _STAND_IN.sub(lambda m: escape(chr(ord(m.group(0)) - _BASE)), text)
