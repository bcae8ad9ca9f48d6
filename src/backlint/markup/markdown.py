"""GitHub-flavoured Markdown → backlint's normalised plain text.

The output is the normalised form described in :mod:`backlint.markup.normalised_text`. The
Markdown is read as CommonMark (with GFM tables, task lists and strikethrough) says: the
block structure by :mod:`backlint.markup.markdown_parse` (CommonMark's line algorithm in
:mod:`backlint.markup.markdown_blocks`), inline content by
:mod:`backlint.markup.markdown_inline`, raw HTML by :mod:`backlint.markup.markdown_html`.
Checked against markdown-it-py on 3,000 real issues by ``tests/markup/
test_markdown_commonmark.py``.
So an indented code block is code, a ``<!-- -->`` comment is gone wherever CommonMark sees
HTML (and kept as text in code), and ``- item`` inside a fence is not a list.
"""

from __future__ import annotations

import re

from backlint.markup.markdown_html import html_block_text
from backlint.markup.markdown_inline import may_have_markup, render_inline
from backlint.markup.markdown_parse import parse_blocks
from backlint.markup.markdown_syntax import Block, split_cells
from backlint.markup.normalised_text import link_text, tidy_lines

# link_text and tidy_lines moved to normalised_text; they stay importable from here.
__all__ = ["link_text", "markdown_to_text", "tidy_lines"]

_CHECKBOX = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
_NEEDS_STRIP = re.compile(r"\n\s")  # a line after the first starts with white space
#: The start of a line that would read as a fence in the normalised text (to strip_code
#: and tidy_lines): only real code may look like that, so others get a backslash.
_FENCE_LIKE = re.compile(r"\n([ \t]*)(?=```|~~~)")  # "\n" first: the engine finds it fast
_FENCE_LIKE_START = re.compile(r"[ \t]*(?=```|~~~)")


def _unfenced(text: str) -> str:
    """``text`` with a backslash before the ``` or ~~~ that starts any of its lines."""
    if "```" in text or "~~~" in text:
        if (m := _FENCE_LIKE_START.match(text)) is not None:
            text = m.group(0) + "\\" + text[m.end() :]
        return _FENCE_LIKE.sub("\n\\1\\\\", text)
    return text


def markdown_to_text(text: str | None, keep_comments: bool = False) -> str:
    """Normalise GitHub-flavoured Markdown into backlint's plain text form.

    ``\\r\\n`` becomes ``\\n``; fenced and indented code become ``` fences; HTML comments
    are removed unless ``keep_comments`` is true; HTML tags are stripped (``<details>`` /
    ``<summary>`` keep their text); ``*``/``+`` bullets become ``- ``; ``- [X]`` becomes
    ``- [x]``; setext headings become ``#``/``##``; emphasis markers are removed; links
    become ``text (url)``. Never raises.
    """
    if not isinstance(text, str) or not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")  # as CommonMark asks, for safety
    doc, refs = parse_blocks(text)
    out: list[str] = []
    _Renderer(refs, keep_comments).blocks(doc.children, out, "")
    return tidy_lines(out)


class _Renderer:
    """Renders a block tree as normalised lines; ``lead`` is the prefix of the current
    container (``> `` per quote level, two spaces per list level)."""

    def __init__(self, refs: dict[str, str], keep_comments: bool) -> None:
        self.refs, self.keep_comments = refs, keep_comments

    def inline(self, text: str) -> str:
        if may_have_markup(text):  # most text has none: save the call
            return render_inline(text, self.refs, self.keep_comments)
        return text

    def blocks(self, children: list[Block], out: list[str], lead: str) -> None:
        refs, keep_comments = self.refs, self.keep_comments
        for n, block in enumerate(children):
            if n and block.gap:
                out.append(lead.rstrip())  # the blank line the source had
            kind = block.kind
            if kind == "para":  # paragraphs and headings, the commonest blocks, right here
                lines = block.lines
                text = ("\n".join(lines) if len(lines) > 1 else lines[0]).rstrip()
                if may_have_markup(text):
                    text = render_inline(text, refs, keep_comments)
                if "```" in text or "~~~" in text:
                    text = _unfenced(text)
                if lead or text[:1].isspace() or ("\n" in text and _NEEDS_STRIP.search(text)):
                    out.extend(lead + line.strip() for line in text.split("\n"))
                else:
                    out.append(text)  # tidy_lines splits it and strips the line ends
            elif kind == "heading":
                text = block.lines[0]
                if may_have_markup(text):
                    text = render_inline(text, refs, keep_comments)
                text = " ".join(text.split())
                out.append(f"{lead}{'#' * block.level} {text}".rstrip())
            else:
                self.block(block, out, lead)

    def block(self, block: Block, out: list[str], lead: str) -> None:
        kind = block.kind
        if kind == "hr":
            out.append(lead + "---")
        elif kind == "code":
            self.code(block, out)
        elif kind == "html":
            text = html_block_text("\n".join(block.lines), self.keep_comments)
            for line in _unfenced(text).split("\n"):
                line = line.strip()
                out.append(lead + line if line else lead.rstrip())
        elif kind == "table":
            for row in block.lines:
                cells = split_cells(row)[: block.ncols]
                if may_have_markup(row):
                    cells = [self.inline(c.strip()) for c in cells]
                rendered = (" ".join(c.split()) for c in cells)
                out.append(lead + _unfenced(" | ".join(rendered)))
        elif kind == "quote":
            self.blocks(block.children, out, lead + "> ")
        elif kind == "list":
            number = block.start
            for item in block.children:
                self.item(item, f"{number}." if block.ordered else "-", out, lead)
                number += 1

    def code(self, block: Block, out: list[str]) -> None:
        """Code at the left margin, fenced with ```, whatever container it is in: that is
        how the rules recognise code (see ``strip_code``)."""
        info = block.info.split()
        lang = info[0].replace("`", "") if info else ""
        body = _unfenced("\n".join(block.lines))
        out.append(f"```{lang}\n{body}\n```" if body else f"```{lang}\n```")

    def item(self, item: Block, marker: str, out: list[str], lead: str) -> None:
        children, checkbox = item.children, ""
        if children and children[0].kind == "para" and children[0].lines[0][:1] == "[":
            m = _CHECKBOX.match(children[0].lines[0])
            if m:
                checkbox = "[x] " if m.group(1) in "xX" else "[ ] "
                children[0].lines[0] = children[0].lines[0][m.end() :]
        start, sub = len(out), lead + "  "
        self.blocks(children, out, sub)
        first = out[start] if len(out) > start else ""
        if first.startswith(sub):  # the item's first line goes after its marker
            out[start] = f"{lead}{marker} {checkbox}{first[len(sub):]}"
        else:  # it starts with code, or is empty
            out.insert(start, f"{lead}{marker} {checkbox}")
