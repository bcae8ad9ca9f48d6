"""Markdown text → block tree: :func:`parse_blocks`, with shortcuts for the common cases.

The general algorithm is :class:`backlint.markup.markdown_blocks.BlockParser`, one line at a
time. While no container (quote, list) is open, most lines are simple: text that can start
no block, a blank line, an ATX heading, a fence and the code up to its closing fence, a table
row, a line of an HTML block. Those are taken here directly, often many lines at once,
giving the same tree the general path would, only faster. Inline content is left raw.
"""

from __future__ import annotations

from backlint.markup.markdown_blocks import BlockParser
from backlint.markup.markdown_syntax import (
    ATX,
    FENCE_CLOSE,
    FENCE_OPEN,
    HTML_BLOCKS,
    NOT_PLAIN,
    TEXT_TIPS,
    THEMATIC,
    Block,
    heading_text,
)

__all__ = ["Block", "parse_blocks"]


def parse_blocks(text: str) -> tuple[Block, dict[str, str]]:
    """The block tree of ``text`` (``\\n`` line ends) and its link reference definitions."""
    parser = BlockParser()
    doc = parser.doc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i, count = 0, len(lines)
    while i < count:
        line, tip = lines[i], parser.tip
        if tip is doc or tip.parent is doc:  # no container open: the shortcuts may apply
            kind = tip.kind
            if kind == "code":
                if tip.fence and not tip.fence_indent:
                    i = _top_level_fence(parser, tip, lines, i)
                    continue
            elif kind in TEXT_TIPS:
                if line[:1] not in NOT_PLAIN:  # text, and so are the lines after it, maybe
                    if kind == "doc":
                        tip = parser.tip = Block("para", doc)
                        tip.gap = parser.last_blank
                        doc.children.append(tip)
                    j = i + 1
                    while j < count and lines[j][:1] not in NOT_PLAIN:
                        j += 1
                    tip.lines += lines[i:j]
                    parser.last_blank = False
                    i = j
                    continue
                if not line or (line[0] in " \t" and not line.strip(" \t")):  # blank
                    if kind != "doc":
                        if kind == "para" and tip.lines[0][:1] == "[":
                            parser.finalize(tip)  # may hold link reference definitions
                        else:
                            tip.open, parser.tip = False, doc
                    parser.last_blank = True
                    i += 1
                    continue
                if kind == "para" and line[0] == " ":  # an indented line of a paragraph?
                    text = line.lstrip(" ")
                    if text[0] not in NOT_PLAIN:
                        tip.lines.append(text)
                        i += 1
                        continue
            if _top_level(parser, tip, line):
                i += 1
                continue
        parser.add_line(line)
        i += 1
    return parser.finish(), parser.refs


def _top_level(parser: BlockParser, tip: Block, line: str) -> bool:
    """Take ``line`` by a shortcut when no container is open and the case is a common one:
    text that can start no block, a blank line, an ATX heading, a fence's opening line, a
    table row or a line of an HTML block. False leaves the line to the general path, which
    would give the same result, only slower."""
    kind, first = tip.kind, line[:1]
    if kind == "html":
        if tip.html_kind >= 6 and not line.strip(" \t"):
            parser.finalize(tip)
            parser.last_blank = True
            return True
        if "\t" in line[:4]:
            return False
        tip.lines.append(line)
        closer = HTML_BLOCKS[tip.html_kind - 1][1]
        if closer is not None and closer.search(line):
            parser.finalize(tip)
        parser.last_blank = False
        return True
    if kind not in ("doc", "para", "table"):
        return False
    if first not in NOT_PLAIN or (
        first == "_" and not THEMATIC.match(line)
    ) or (first == "*" and line[1:2] not in " \t" and not THEMATIC.match(line)):
        if kind == "table":
            tip.lines.append(line)
        else:
            _add_line_to_paragraph(parser, tip, line)
        parser.last_blank = False
        return True
    if not line.strip(" \t"):
        if kind != "doc":
            parser.finalize(tip)
        parser.last_blank = True
        return True
    if kind == "table" and first == "|":
        tip.lines.append(line)
        parser.last_blank = False
        return True
    if first == "#":
        m = ATX.match(line)
        if m is None:
            if kind == "table":
                return False
            _add_line_to_paragraph(parser, tip, line)  # "#hashtag": text
        else:
            block = _top_level_block(parser, tip, "heading")
            block.level = len(m.group(1))
            block.lines = [heading_text(line[m.end() :])]
            parser.finalize(block)
        parser.last_blank = False
        return True
    if first in "`~" and (m := FENCE_OPEN.match(line)) is not None:
        block = _top_level_block(parser, tip, "code")
        block.fence, block.info = m.group(0), line[m.end() :].strip()
        parser.last_blank = False
        return True
    if first == "<" and "\t" not in line:
        for html_kind, (opener, closer) in enumerate(HTML_BLOCKS, 1):
            if opener.match(line):
                if html_kind == 7 and kind != "doc":
                    break  # kind 7 cannot interrupt a paragraph (nor, as in markdown-it, a table)
                block = _top_level_block(parser, tip, "html")
                block.html_kind = html_kind
                block.lines.append(line)
                if closer is not None and closer.search(line):
                    parser.finalize(block)
                parser.last_blank = False
                return True
        if kind == "table":
            tip.lines.append(line)
        else:
            _add_line_to_paragraph(parser, tip, line)  # "<" that starts no HTML block: text
        parser.last_blank = False
        return True
    return False


def _add_line_to_paragraph(parser: BlockParser, tip: Block, line: str) -> None:
    if tip.kind == "doc":
        tip = _top_level_block(parser, tip, "para")
    tip.lines.append(line)


def _top_level_block(parser: BlockParser, tip: Block, kind: str) -> Block:
    """A new block at the top level, after closing the open one (a paragraph or table)."""
    if tip.kind != "doc":
        parser.finalize(tip)
    block = Block(kind, parser.doc)
    block.gap = parser.last_blank
    parser.doc.children.append(block)
    parser.tip = block
    return block


def _top_level_fence(parser: BlockParser, fence: Block, lines: list[str], i: int) -> int:
    """Take the lines of a fenced code block at the top level up to its closing fence in one
    go; the index of the line after it."""
    mark = fence.fence
    try:
        end = lines.index(mark, i)  # the usual closing line: the opening run alone
    except ValueError:
        end = len(lines)
    body = "\n".join(lines[i:end])
    if mark[:3] not in body:  # no other line can close it first
        fence.lines.append(body)
        if end < len(lines):
            parser.finalize(fence)
        parser.last_blank = False
        return end + 1
    for j in range(i, len(lines)):
        line = lines[j]
        if line.startswith(mark[:3]) or (line[:1] == " " and line.lstrip(" ").startswith(mark[:3])):
            rest = line.lstrip(" ")
            m = FENCE_CLOSE.match(rest)
            closes = m is not None and m.group(1)[0] == mark[0] and len(m.group(1)) >= len(mark)
            if closes and len(line) - len(rest) <= 3:
                fence.lines.extend(lines[i:j])
                parser.finalize(fence)
                parser.last_blank = False
                return j + 1
    fence.lines.extend(lines[i:])
    return len(lines)
