"""CommonMark inline content (with GFM strikethrough) rendered to normalised text.

Code spans become `` `code` `` (one backtick each side, inner whitespace trimmed); emphasis,
strong and strikethrough lose their delimiters by the spec's delimiter-run algorithm (so
``snake_case`` stays whole and ``2*3*4`` is emphasis, as GitHub shows it); links become
``text (url)``, images ``[image: alt]``, autolinks their URL; backslash escapes and entity
references are resolved; raw HTML goes through :mod:`backlint.markup.markdown_html`.
Text with none of the characters that can start inline markup is returned as it is.
"""

from __future__ import annotations

import html
import re
import unicodedata

from backlint.markup.markdown_html import inline_html_text
from backlint.markup.markdown_refs import link_destination, link_title, normalise_label
from backlint.markup.markdown_syntax import CLOSE_TAG, OPEN_TAG
from backlint.markup.normalised_text import link_text

__all__ = ["may_have_markup", "render_inline"]

# One character class: the regex engine scans for it far faster than for alternatives.
_TOKEN = re.compile(r"[`\\&<\[\]*_~]")
_RUN = {char: re.compile(rf"\{char}+") for char in "`*_~"}
#: Whether a text has a character that may start inline markup (else it renders as it is).
may_have_markup = _TOKEN.search
_MARKUP = re.compile(r"[`\\&<*~]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*)>")
_EMAIL = re.compile(
    r"<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>"
)
_RAW_HTML = re.compile(
    rf"{OPEN_TAG}|{CLOSE_TAG}|<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->|<\?[\s\S]*?\?>"
    r"|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)
_WS = re.compile(r"[ \t\n]*")
_LABEL = re.compile(r"\[((?:[^\\\[\]]|\\[\s\S]){0,999})\]")
_SPACE_CHARS = frozenset(" \t\n\r\f\v")
_KIND: dict[str, int] = {}  # character → 0 other, 1 whitespace, 2 punctuation

# delimiter fields
_CHAR, _ORIG, _REST, _PIECE, _OPEN, _CLOSE = range(6)


def _kind(char: str) -> int:
    kind = _KIND.get(char)
    if kind is None:
        if char in _SPACE_CHARS or unicodedata.category(char) == "Zs":
            kind = 1
        elif char in _ASCII_PUNCT or unicodedata.category(char)[0] in "PS":
            kind = 2
        else:
            kind = 0
        _KIND[char] = kind
    return kind


def _closing_ticks(src: str, count: int, pos: int) -> int:
    """Where the next run of exactly ``count`` backticks at or after ``pos`` starts, or -1."""
    ticks, size = "`" * count, len(src)
    while (at := src.find(ticks, pos)) >= 0:
        pos = at + count
        if pos >= size or src[pos] != "`":
            return at  # (a run never starts right after a backtick: runs are skipped whole)
        while pos < size and src[pos] == "`":
            pos += 1
    return -1


def render_inline(src: str, refs: dict[str, str], keep_comments: bool = False) -> str:
    """The normalised text of one run of inline content (a paragraph, heading or cell)."""
    if not _TOKEN.search(src):
        return src
    if not _MARKUP.search(src):  # only brackets and underscores: often no markup at all
        links = "[" in src and (refs or "](" in src)
        if not links and ("_" not in src or not _underscore_delimiter(src)):
            return src
    return _Inline(src, refs, keep_comments).run()


def _underscore_delimiter(src: str) -> bool:
    """Whether a run of ``_`` in ``src`` has something other than a letter or digit on one
    side: only such a run may open or close emphasis."""
    end = len(src)
    for m in _RUN["_"].finditer(src):
        start, stop = m.span()
        if not (start and src[start - 1].isalnum() and stop < end and src[stop].isalnum()):
            return True
    return False


class _Inline:
    """One inline parse: output pieces, the delimiter stack and the bracket stack."""

    def __init__(self, src: str, refs: dict[str, str], keep_comments: bool) -> None:
        self.src, self.refs, self.keep_comments = src, refs, keep_comments
        self.pieces: list[str] = []
        # [char, original length, remaining, piece index, can open, can close]
        self.delims: list[list] = []
        # [piece index, delimiter count, source position after "[", image?, active?]
        self.brackets: list[list] = []

    def run(self) -> str:
        src, pieces, pos = self.src, self.pieces, 0
        search, size, scan = _TOKEN.search, len(src), 0
        while (m := search(src, scan)) is not None:
            start = m.start()
            char = src[start]
            if char in "`*_~":
                end = _RUN[char].match(src, start).end()  # type: ignore[union-attr]
                if (
                    char == "_"
                    and start
                    and end < size
                    and src[start - 1].isalnum()
                    and src[end].isalnum()
                ):
                    scan = end  # snake_case: never emphasis, text like the rest
                    continue
            else:
                end = start + 1
            if char == "[" and start > pos and src[start - 1] == "!":
                pieces.append(src[pos : start - 1])
                start -= 1
            elif start > pos:
                pieces.append(src[pos:start])
            if char == "`":  # a code span, if a run as long closes it
                close = _closing_ticks(src, end - start, end)
                if close < 0:
                    pieces.append(src[start:end])
                    pos = end
                else:
                    pieces.append("`" + src[end:close].replace("\n", " ").strip() + "`")
                    pos = close + end - start
            elif char == "\\":
                nxt = src[start + 1 : start + 2]
                if nxt in _ASCII_PUNCT and nxt:
                    pieces.append(nxt)
                    pos = start + 2
                elif nxt == "\n":
                    pieces.append("\n")
                    pos = start + 2
                else:
                    pieces.append("\\")
                    pos = end
            elif char == "&":
                entity = _ENTITY.match(src, start)
                pieces.append(html.unescape(entity.group(0)) if entity else "&")
                pos = entity.end() if entity else end
            elif char == "<":
                pos = self._angle(start)
            elif char == "]":
                pos = self._close_bracket(start, end)
            elif char == "[":
                self.brackets.append([len(pieces), len(self.delims), end, src[start] == "!", True])
                pieces.append(src[start:end])
                pos = end
            else:
                self._delimiter_run(start, end)
                pos = end
            scan = pos
        pieces.append(src[pos:])
        _emphasis(pieces, self.delims, 0)
        return "".join(pieces)

    def _angle(self, start: int) -> int:
        src = self.src
        m = _AUTOLINK.match(src, start) or _EMAIL.match(src, start)
        if m:
            self.pieces.append(m.group(1))
            return m.end()
        m = _RAW_HTML.match(src, start)
        if m:
            self.pieces.append(inline_html_text(m.group(0), self.keep_comments))
            return m.end()
        self.pieces.append("<")
        return start + 1

    def _delimiter_run(self, start: int, end: int) -> None:
        src, run = self.src, self.src[start:end]
        self.pieces.append(run)
        char = run[0]
        if char == "~" and end - start > 2:
            return
        before = _kind(src[start - 1]) if start else 1
        after = _kind(src[end]) if end < len(src) else 1
        left = after != 1 and (after != 2 or before != 0)
        right = before != 1 and (before != 2 or after != 0)
        if char == "_":
            can_open = left and (not right or before == 2)
            can_close = right and (not left or after == 2)
        else:
            can_open, can_close = left, right
        if can_open or can_close:
            size = end - start
            self.delims.append([char, size, size, len(self.pieces) - 1, can_open, can_close])

    def _close_bracket(self, start: int, end: int) -> int:
        pieces, brackets = self.pieces, self.brackets
        if not brackets:
            pieces.append("]")
            return end
        opener = brackets[-1]
        if not opener[4]:
            brackets.pop()
            pieces.append("]")
            return end
        found = self._inline_link(end) or self._reference(opener[2], start, end)
        if found is None:
            brackets.pop()
            pieces.append("]")
            return end
        url, after = found
        index, image = opener[0], opener[3]
        _emphasis(pieces, self.delims, opener[1])
        del self.delims[opener[1] :]
        text = "".join(pieces[index + 1 :])
        if image:
            alt = " ".join(text.split())
            pieces[index:] = [f"[image: {alt}]" if alt else "[image]"]
        else:
            pieces[index:] = [link_text(text, url)]
        brackets.pop()
        if not image:
            for bracket in brackets:
                if not bracket[3]:
                    bracket[4] = False  # no links inside links
        return after

    def _inline_link(self, end: int) -> tuple[str, int] | None:
        src = self.src
        if src[end : end + 1] != "(":
            return None
        pos = _WS.match(src, end + 1).end()  # type: ignore[union-attr]
        url = ""
        if src[pos : pos + 1] != ")":
            dest = link_destination(src, pos)
            if dest is None:
                return None
            url, after_dest = dest
            pos = _WS.match(src, after_dest).end()  # type: ignore[union-attr]
            if pos > after_dest and src[pos : pos + 1] in ('"', "'", "("):
                title = link_title(src, pos)
                if title is not None:
                    pos = _WS.match(src, title[1]).end()  # type: ignore[union-attr]
        if src[pos : pos + 1] != ")":
            return None
        return url, pos + 1

    def _reference(self, text_start: int, start: int, end: int) -> tuple[str, int] | None:
        src = self.src
        label, after = src[text_start:start], end
        m = _LABEL.match(src, end)
        if m:
            after = m.end()
            if m.group(1).strip():
                label = m.group(1)
        if len(label) > 999:
            return None
        url = self.refs.get(normalise_label(label)) if self.refs else None
        return (url, after) if url is not None else None


def _emphasis(pieces: list[str], delims: list[list], bottom: int) -> None:
    """The spec's "process emphasis": strip the delimiters that pair up above ``bottom``."""
    if len(delims) - bottom < 2:
        return
    openers_bottom: dict[tuple, int] = {}
    i = bottom
    while i < len(delims):
        closer = delims[i]
        if not closer[_CLOSE] or not closer[_REST]:
            i += 1
            continue
        char = closer[_CHAR]
        key = (char, closer[_OPEN], closer[_ORIG] % 3)
        j = i - 1
        floor = openers_bottom.get(key, bottom - 1)
        while j > floor:
            opener = delims[j]
            if opener[_CHAR] == char and opener[_OPEN] and opener[_REST]:
                if char == "~":
                    if opener[_REST] == closer[_REST]:
                        break
                elif not (
                    (opener[_CLOSE] or closer[_OPEN])
                    and (opener[_ORIG] + closer[_ORIG]) % 3 == 0
                    and (opener[_ORIG] % 3 or closer[_ORIG] % 3)
                ):
                    break
            j -= 1
        if j > floor:
            opener = delims[j]
            if char == "~":
                use = closer[_REST]
            else:
                use = 2 if opener[_REST] >= 2 and closer[_REST] >= 2 else 1
            opener[_REST] -= use
            closer[_REST] -= use
            pieces[opener[_PIECE]] = char * opener[_REST]
            pieces[closer[_PIECE]] = char * closer[_REST]
            for k in range(j + 1, i):
                delims[k][_REST] = 0  # delimiters between a pair stay literal text
            if not closer[_REST]:
                i += 1
        else:
            openers_bottom[key] = i - 1
            if not closer[_OPEN]:
                closer[_REST] = 0
            i += 1
