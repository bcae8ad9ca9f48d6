"""Link pieces of CommonMark: destinations, titles, labels and reference definitions.

Shared by the block pass (a paragraph that starts with ``[label]: url`` definitions loses
them to the reference map) and the inline pass (``[text](url "title")``, ``[text][label]``).
"""

from __future__ import annotations

import html
import re

__all__ = ["link_destination", "link_title", "normalise_label", "strip_definitions", "unescape"]

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LABEL = re.compile(r"\[((?:[^\\\[\]]|\\[\s\S]){0,999})\]")
_POINTY = re.compile(r"<((?:[^<>\n\\]|\\.)*)>")
_TITLE = re.compile(
    r"\"((?:[^\"\\]|\\[\s\S])*)\"|'((?:[^'\\]|\\[\s\S])*)'|\(((?:[^()\\]|\\[\s\S])*)\)"
)
_SPACE = re.compile(r"[ \t]*(?:\n[ \t]*)?")
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20()\\]*")
_WHITESPACE = re.compile(r"\s+")


def unescape(text: str) -> str:
    """Backslash escapes and entity references resolved, as in link destinations and titles."""
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def normalise_label(label: str) -> str:
    """A reference label as it is matched: case-folded, inner whitespace collapsed."""
    return _WHITESPACE.sub(" ", label.strip()).casefold()


def link_destination(src: str, pos: int) -> tuple[str, int] | None:
    """The destination at ``src[pos:]`` (``<...>`` or balanced parentheses) and its end."""
    if src[pos : pos + 1] == "<":
        m = _POINTY.match(src, pos)
        return (unescape(m.group(1)), m.end()) if m else None
    plain = _PLAIN_DESTINATION.match(src, pos)  # the common case: no parentheses, no escapes
    if src[plain.end() : plain.end() + 1] in ("", ")", " ", "\n", "\t"):  # type: ignore[union-attr]
        return unescape(plain.group(0)), plain.end()  # type: ignore[union-attr]
    depth, i, n = 0, pos, len(src)
    while i < n:
        char = src[i]
        if char == "\\" and i + 1 < n and src[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            i += 2
            continue
        if char == "(":
            depth += 1
            if depth > 32:
                return None
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char <= " ":
            break
        i += 1
    if depth:
        return None
    return unescape(src[pos:i]), i


def link_title(src: str, pos: int) -> tuple[str, int] | None:
    """The title at ``src[pos:]`` ("...", '...' or (...)) and its end, if there is one."""
    m = _TITLE.match(src, pos)
    if not m or "\n\n" in m.group(0):
        return None
    return unescape(m.group(m.lastindex or 1)), m.end()


def _definition(src: str, refs: dict[str, str]) -> int:
    """Parse one ``[label]: destination "title"`` at the start of ``src``; its length or 0."""
    m = _LABEL.match(src)
    if not m or src[m.end() : m.end() + 1] != ":" or not m.group(1).strip():
        return 0
    pos = _SPACE.match(src, m.end() + 1).end()  # type: ignore[union-attr]
    dest = link_destination(src, pos)
    if dest is None or (dest[1] == pos and src[pos : pos + 1] != "<"):
        return 0
    url, pos = dest
    end_of_dest = pos
    gap = _SPACE.match(src, pos).end()  # type: ignore[union-attr]
    end = 0
    if gap > pos:
        title = link_title(src, gap)
        if title is not None:
            after = re.compile(r"[ \t]*(?:\n|$)").match(src, title[1])
            if after:
                end = after.end()
    if not end:
        after = re.compile(r"[ \t]*(?:\n|$)").match(src, end_of_dest)
        if not after:
            return 0
        end = after.end()
    refs.setdefault(normalise_label(m.group(1)), url)
    return end


def strip_definitions(lines: list[str], refs: dict[str, str]) -> list[str]:
    """A paragraph's lines without the reference definitions it starts with (added to refs)."""
    src = "\n".join(lines)
    pos = 0
    while src[pos : pos + 1] == "[":
        used = _definition(src[pos:], refs)
        if not used:
            break
        pos += used
    if not pos:
        return lines
    rest = src[pos:]
    return rest.split("\n") if rest else []
