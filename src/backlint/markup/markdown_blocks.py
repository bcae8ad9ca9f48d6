"""The block structure of GitHub-flavoured Markdown, parsed as CommonMark says.

:func:`parse_blocks` turns a document into a tree of :class:`Block` s: containers (block
quotes, lists, list items) and leaves (paragraphs, headings, thematic breaks, fenced and
indented code, HTML blocks, GFM tables). It follows the line-by-line strategy of the
CommonMark spec's appendix: each line first continues the open containers it matches, then
may open new blocks, and what remains is text (a paragraph line, possibly a lazy one).
Inline content is left raw; link reference definitions are collected for the inline pass.
Tabs are expanded to four-column stops in a line's leading markup only, which is the only
place where they decide structure.
"""

from __future__ import annotations

import re

from backlint.markup.markdown_refs import strip_definitions

__all__ = ["Block", "parse_blocks"]

_MAYBE_SPECIAL = frozenset("#`~*+_=<>-|:0123456789")
_NOT_PLAIN = _MAYBE_SPECIAL | {" ", "\t", ""}
_TEXT_TIPS = frozenset(("doc", "para", "table"))
_LEADING_TABS = re.compile(r"[ \t>*+\-.)0-9]*\t")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_FENCE_OPEN = re.compile(r"`{3,}(?!.*`)|~{3,}")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
_BULLET = re.compile(r"[*+-](?=[ \t]|$)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
_TABLE_DELIM = re.compile(r"[-:|][-:| \t]*$")
_TABLE_ALIGN = re.compile(r":?-+:?$")

_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|"
    "optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|"
    "track|ul"
)
_ATTRIBUTE = r"(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)"
OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>"
CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
#: (start, end) of the seven kinds of HTML block; kinds 6 and 7 end at a blank line.
_HTML_BLOCKS = (
    (re.compile(r"<(?:script|pre|style|textarea)(?:\s|>|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(rf"</?(?:{_BLOCK_NAMES})(?:\s|/?>|$)", re.I), None),
    (re.compile(rf"(?:{OPEN_TAG}|{CLOSE_TAG})\s*$"), None),
)

#: Containers nested deeper than this are read as text.
MAX_DEPTH = 40
# continue() results; a block start also says _WHOLE_LINE when it used up the line
_MATCHED, _UNMATCHED, _CONSUMED = 0, 1, 2
_WHOLE_LINE = 3


_CONTAINERS = frozenset(("doc", "quote", "list", "item"))
_NO_CHILDREN: list = []  # shared by every leaf block, which never gets one


class Block:
    """One node of the block tree; which fields matter depends on ``kind``.

    The fields most blocks never use are class attributes, set on the few that do.
    """

    level = 0  # heading level
    info = ""  # fenced code's info string
    fence = ""  # fenced code: its opening run of ` or ~ ("" for indented code)
    fence_indent = 0
    html_kind = 0  # HTML block: which of CommonMark's seven kinds
    ordered = False  # list
    marker = ""  # list: its bullet character, or the delimiter of an ordered list
    start = 1  # ordered list: the first number
    content_indent = 0  # list item: columns its content is indented by
    ncols = 0  # table: columns of the header
    gap = False  # a blank line came right before the block
    depth = 0  # containers: how deep they are nested (leaves: unused)

    def __init__(self, kind: str, parent: Block | None) -> None:
        self.kind = kind  # doc quote list item | para heading hr code html table
        self.parent = parent
        self.open = True
        if kind in _CONTAINERS:
            self.children: list[Block] = []
            self.depth = parent.depth + 1 if parent else 0
        else:
            self.children = _NO_CHILDREN  # type: ignore[assignment]
            self.lines: list[str] = []


class _Parser:
    """State of one parse: the tree, its open tip, and the line being read."""

    def __init__(self) -> None:
        self.doc = Block("doc", None)
        self.tip = self.doc
        self.refs: dict[str, str] = {}
        self.line = ""
        self.offset = 0
        self.nonspace = 0
        self.indent = 0
        self.blank = False
        self.all_closed = True
        self.last_matched: Block = self.doc
        self.old_tip: Block = self.doc
        self.gap = self.last_blank = False
        self.measured_at = -1  # the offset nonspace, indent and blank were measured at

    # --- helpers --------------------------------------------------------------------------

    def _find_nonspace(self) -> None:
        line, offset = self.line, self.offset
        if offset == self.measured_at:
            return  # still where it was measured
        self.measured_at = offset
        if line[offset : offset + 1] != " ":
            self.nonspace, self.indent, self.blank = offset, 0, offset >= len(line)
            return
        rest = line[offset:].lstrip(" ")
        self.nonspace = len(line) - len(rest)
        self.indent, self.blank = self.nonspace - offset, not rest

    def _add_child(self, kind: str) -> Block:
        while not _can_contain(self.tip.kind, kind):
            self._finalize(self.tip)
        child = Block(kind, self.tip)
        child.gap = self.gap
        self.tip.children.append(child)
        self.tip = child
        return child

    def _close_unmatched(self) -> None:
        if not self.all_closed:
            while self.old_tip is not self.last_matched:
                parent = self.old_tip.parent
                self._finalize(self.old_tip)
                self.old_tip = parent  # type: ignore[assignment]
            self.all_closed = True

    def _finalize(self, block: Block) -> None:
        block.open = False
        if block.kind == "para" and block.lines[0][:1] == "[":
            block.lines = strip_definitions(block.lines, self.refs)
            if not block.lines:
                block.parent.children.remove(block)  # type: ignore[union-attr]
        elif block.kind == "code" and not block.fence:
            while block.lines and not block.lines[-1].strip():
                block.lines.pop()
        self.tip = block.parent  # type: ignore[assignment]

    # --- continuing open blocks ----------------------------------------------------------

    def _continue(self, block: Block) -> int:
        kind = block.kind
        if kind == "quote":
            if self.indent <= 3 and self.line[self.nonspace : self.nonspace + 1] == ">":
                self.offset = self.nonspace + 1
                if self.line[self.offset : self.offset + 1] == " ":
                    self.offset += 1
                return _MATCHED
            return _UNMATCHED
        if kind == "item":
            if self.blank:
                if not block.children:
                    return _UNMATCHED  # an item may begin with at most one blank line
                self.offset = self.nonspace
            elif self.indent >= block.content_indent:
                self.offset += block.content_indent
            else:
                return _UNMATCHED
            return _MATCHED
        if kind == "list":
            return _MATCHED
        if kind in ("para", "table"):
            return _UNMATCHED if self.blank else _MATCHED
        if kind == "code":
            if block.fence:
                if self.indent <= 3 and self.line[self.nonspace : self.nonspace + 1] == block.fence[0]:
                    m = _FENCE_CLOSE.match(self.line, self.nonspace)
                    if m and m.group(1)[0] == block.fence[0] and len(m.group(1)) >= len(block.fence):
                        self._finalize(block)
                        return _CONSUMED
                self.offset += min(block.fence_indent, self.indent)
                return _MATCHED
            if self.indent >= 4:
                self.offset += 4
            elif self.blank:
                self.offset = self.nonspace
            else:
                return _UNMATCHED
            return _MATCHED
        if kind == "html":
            return _UNMATCHED if self.blank and block.html_kind >= 6 else _MATCHED
        return _UNMATCHED  # heading, hr

    # --- opening new blocks ----------------------------------------------------------------

    def _start(self, container: Block) -> tuple[int, Block]:
        """Try each block start at the current position.

        Returns (0 none | 1 container | 2 leaf taking the line | _WHOLE_LINE, block)."""
        line, at = self.line, self.nonspace
        if self.indent >= 4:
            if self.tip.kind != "para" and not self.blank:
                self.offset += 4
                self._close_unmatched()
                return 2, self._add_child("code")
            return 0, container
        char = line[at]
        deep = container.depth >= MAX_DEPTH  # deeper quotes and lists stay text
        if char == ">" and not deep:
            self.offset = at + 1
            if line[self.offset : self.offset + 1] == " ":
                self.offset += 1
            self._close_unmatched()
            return 1, self._add_child("quote")
        if char == "#" and (m := _ATX.match(line, at)):
            self._close_unmatched()
            block = self._add_child("heading")
            block.level = len(m.group(1))
            block.lines = [_heading_text(line[m.end() :])]
            self._finalize(block)  # a heading is one line: the next one continues its parent
            return _WHOLE_LINE, block
        if char in "`~" and (m := _FENCE_OPEN.match(line, at)):
            self._close_unmatched()
            block = self._add_child("code")
            block.fence, block.fence_indent = m.group(0), self.indent
            block.info = line[m.end() :].strip()
            return _WHOLE_LINE, block
        if char == "<":
            rest = line[at:]
            for kind, (opener, _) in enumerate(_HTML_BLOCKS, 1):
                if opener.match(rest) and (
                    kind < 7
                    or (container.kind not in ("para", "table") and not self._lazy_possible())
                ):
                    self._close_unmatched()
                    block = self._add_child("html")
                    block.html_kind = kind
                    return 2, block
        if container.kind == "para":
            if char in "|-:" and (table := self._table(container)) is not None:
                return _WHOLE_LINE, table
            if char in "=-" and _SETEXT.match(line, at):
                self._close_unmatched()
                lines = container.lines
                if lines[0][:1] == "[":
                    lines = strip_definitions(lines, self.refs)
                if lines:
                    container.kind, container.lines = "heading", ["\n".join(lines)]
                    container.level = 1 if char == "=" else 2
                    self._finalize(container)
                    return _WHOLE_LINE, container
        if char in "*-_" and _THEMATIC.match(line, at):
            self._close_unmatched()
            block = self._add_child("hr")
            self._finalize(block)
            return _WHOLE_LINE, block
        if (char in "*+-" or "0" <= char <= "9") and not deep:
            item = self._list_item(container)
            if item is not None:
                return 1, item
        return 0, container

    def _lazy_possible(self) -> bool:
        return not self.all_closed and not self.blank and self.tip.kind == "para"

    def _list_item(self, container: Block) -> Block | None:
        line, at = self.line, self.nonspace
        m = _BULLET.match(line, at)
        ordered, start, marker = False, 1, ""
        if m:
            marker = m.group(0)
        else:
            m = _ORDERED.match(line, at)
            if not m or (container.kind == "para" and m.group(1) != "1"):
                return None
            ordered, start, marker = True, int(m.group(1)), m.group(2)
        after = m.end()
        rest_blank = not line[after:].strip(" ")
        if container.kind == "para" and rest_blank:
            return None  # an empty item cannot interrupt a paragraph
        width = after - at
        spaces = len(line) - after - len(line[after:].lstrip(" "))
        if rest_blank or spaces >= 5 or spaces < 1:
            padding = width + 1
            self.offset = min(after + 1, len(line))
        else:
            padding = width + spaces
            self.offset = after + spaces
        self._close_unmatched()
        if self.tip.kind != "list" or self.tip.ordered != ordered or self.tip.marker != marker:
            lst = self._add_child("list")
            lst.ordered, lst.marker, lst.start = ordered, marker, start
        item = self._add_child("item")
        item.content_indent = self.indent + padding
        return item

    def _table(self, para: Block) -> Block | None:
        """Turn the paragraph's last line into a GFM table header when this line is its
        delimiter row (as many columns as the header has cells), else None."""
        delim = self.line[self.nonspace :].strip()
        if not _TABLE_DELIM.match(delim) or (delim[0] == "-" and delim[1:2] in (" ", "\t")):
            return None
        cols = delim.split("|")
        if cols and not cols[0].strip():
            cols.pop(0)
        if cols and not cols[-1].strip():
            cols.pop()
        if len(delim) < 2 or not cols or not all(_TABLE_ALIGN.match(c.strip()) for c in cols):
            return None
        header = para.lines[-1]
        if "|" not in header or len(split_cells(header)) != len(cols):
            return None
        self._close_unmatched()
        para.lines.pop()
        parent = para.parent
        if para.lines:
            self._finalize(para)
        else:
            parent.children.remove(para)  # type: ignore[union-attr]
            self.tip = parent  # type: ignore[assignment]
        table = self._add_child("table")
        table.ncols, table.lines, table.gap = len(cols), [header], True
        return table

    # --- one line ------------------------------------------------------------------------

    def add_line(self, line: str) -> None:
        raw = None
        if "\t" in line and (m := _LEADING_TABS.match(line)):
            raw, line = line, line[: m.end()].expandtabs(4) + line[m.end() :]
        self.line, self.offset, self.measured_at = line, 0, -1
        self.gap = self.last_blank
        self.last_blank = not line or (line[0] in " >" and not line.strip(" >"))
        self.old_tip = self.tip
        container = self.doc
        while container.children:
            child = container.children[-1]
            if not child.open:
                break
            kind = child.kind
            if kind == "list":  # a list goes on as long as its items do
                container = child
                continue
            self._find_nonspace()
            if kind == "para":
                if self.blank:
                    break
                container = child
                continue
            result = self._continue(child)
            if result == _CONSUMED:
                return
            if result == _UNMATCHED:
                break
            container = child
        self.all_closed = container is self.old_tip
        self.last_matched = container
        matched_leaf = container.kind in ("code", "html")
        while not matched_leaf:
            self._find_nonspace()
            if self.blank or (self.indent < 4 and line[self.nonspace] not in _MAYBE_SPECIAL):
                self.offset = self.nonspace
                break
            found, container = self._start(container)
            if found == _WHOLE_LINE:
                return  # a heading, a rule, a table's delimiter row or a fence opening
            if found == 0:
                self.offset = self.nonspace
                break
            matched_leaf = found == 2
        if not self.all_closed and not self.blank and self.tip.kind == "para":
            self.tip.lines.append(line[self.offset :])  # lazy continuation
            return
        self._close_unmatched()
        kind = container.kind
        if kind == "para":
            container.lines.append(line[self.offset :])
        elif kind in ("code", "html", "table"):
            text = line[self.offset :] if raw is None else _from_column(raw, self.offset)
            if kind != "code" or container.fence or not self.blank or container.lines:
                container.lines.append(text)
            if kind == "html" and container.html_kind <= 5:
                closer = _HTML_BLOCKS[container.html_kind - 1][1]
                if closer and closer.search(text):
                    self._finalize(container)
        elif not self.blank:
            para = self._add_child("para")
            para.lines.append(line[self.offset :])

    def finish(self) -> Block:
        while self.tip is not self.doc:
            self._finalize(self.tip)
        self._finalize(self.doc)
        return self.doc


def _heading_text(rest: str) -> str:
    """An ATX heading's text: the rest of its line without the closing run of ``#``."""
    rest = rest.strip(" \t")
    return _ATX_CLOSE.sub("", rest) if rest.endswith("#") else rest


def _from_column(raw: str, column: int) -> str:
    """``raw`` from ``column`` on (tabs stop every four columns; a tab that spans the column
    leaves its remaining columns as spaces), so code keeps the tabs it has after its indent."""
    at = index = 0
    while index < len(raw) and at < column:
        at = at + 4 - at % 4 if raw[index] == "\t" else at + 1
        index += 1
    return " " * (at - column) + raw[index:]


def _can_contain(parent: str, child: str) -> bool:
    if parent == "list":
        return child == "item"
    if parent in ("doc", "quote", "item"):
        return child != "item"
    return False


def split_cells(row: str) -> list[str]:
    """A table row's cells: split at unescaped ``|`` (``\\|`` becomes ``|``), outer pipes off."""
    row = row.strip()
    if "\\|" in row:
        cells = [c.replace("\x00", "|") for c in row.replace("\\|", "\x00").split("|")]
    else:
        cells = row.split("|")
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def parse_blocks(text: str) -> tuple[Block, dict[str, str]]:
    """The block tree of ``text`` (``\\n`` line ends) and its link reference definitions."""
    parser = _Parser()
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
            elif kind in _TEXT_TIPS:
                if line[:1] not in _NOT_PLAIN:  # text, and so are the lines after it, maybe
                    if kind == "doc":
                        tip = parser.tip = Block("para", doc)
                        tip.gap = parser.last_blank
                        doc.children.append(tip)
                    j = i + 1
                    while j < count and lines[j][:1] not in _NOT_PLAIN:
                        j += 1
                    tip.lines += lines[i:j]
                    parser.last_blank = False
                    i = j
                    continue
                if not line or (line[0] in " \t" and not line.strip(" \t")):  # blank
                    if kind != "doc":
                        if kind == "para" and tip.lines[0][:1] == "[":
                            parser._finalize(tip)  # may hold link reference definitions
                        else:
                            tip.open, parser.tip = False, doc
                    parser.last_blank = True
                    i += 1
                    continue
                if kind == "para" and line[0] == " ":  # an indented line of a paragraph?
                    text = line.lstrip(" ")
                    if text[0] not in _NOT_PLAIN:
                        tip.lines.append(text)
                        i += 1
                        continue
            if _top_level(parser, tip, line):
                i += 1
                continue
        parser.add_line(line)
        i += 1
    return parser.finish(), parser.refs


def _top_level(parser: _Parser, tip: Block, line: str) -> bool:
    """Take ``line`` by a shortcut when no container is open and the case is a common one:
    text that can start no block, a blank line, an ATX heading, a fence's opening line, a
    table row or a line of an HTML block. False leaves the line to the general path, which
    would give the same result, only slower."""
    kind, first = tip.kind, line[:1]
    if kind == "html":
        if tip.html_kind >= 6 and not line.strip(" \t"):
            parser._finalize(tip)
            parser.last_blank = True
            return True
        if "\t" in line[:4]:
            return False
        tip.lines.append(line)
        closer = _HTML_BLOCKS[tip.html_kind - 1][1]
        if closer is not None and closer.search(line):
            parser._finalize(tip)
        parser.last_blank = False
        return True
    if kind not in ("doc", "para", "table"):
        return False
    if first not in _NOT_PLAIN or (
        first == "_" and not _THEMATIC.match(line)
    ) or (first == "*" and line[1:2] not in " \t" and not _THEMATIC.match(line)):
        if kind == "table":
            tip.lines.append(line)
        else:
            _add_line_to_paragraph(parser, tip, line)
        parser.last_blank = False
        return True
    if not line.strip(" \t"):
        if kind != "doc":
            parser._finalize(tip)
        parser.last_blank = True
        return True
    if kind == "table" and first == "|":
        tip.lines.append(line)
        parser.last_blank = False
        return True
    if first == "#":
        m = _ATX.match(line)
        if m is None:
            if kind == "table":
                return False
            _add_line_to_paragraph(parser, tip, line)  # "#hashtag": text
        else:
            block = _top_level_block(parser, tip, "heading")
            block.level = len(m.group(1))
            block.lines = [_heading_text(line[m.end() :])]
            parser._finalize(block)
        parser.last_blank = False
        return True
    if first in "`~" and (m := _FENCE_OPEN.match(line)) is not None:
        block = _top_level_block(parser, tip, "code")
        block.fence, block.info = m.group(0), line[m.end() :].strip()
        parser.last_blank = False
        return True
    if first == "<" and "\t" not in line:
        for html_kind, (opener, closer) in enumerate(_HTML_BLOCKS, 1):
            if opener.match(line):
                if html_kind == 7 and kind != "doc":
                    break  # kind 7 cannot interrupt a paragraph (nor, as in markdown-it, a table)
                block = _top_level_block(parser, tip, "html")
                block.html_kind = html_kind
                block.lines.append(line)
                if closer is not None and closer.search(line):
                    parser._finalize(block)
                parser.last_blank = False
                return True
        if kind == "table":
            tip.lines.append(line)
        else:
            _add_line_to_paragraph(parser, tip, line)  # "<" that starts no HTML block: text
        parser.last_blank = False
        return True
    return False


def _add_line_to_paragraph(parser: _Parser, tip: Block, line: str) -> None:
    if tip.kind == "doc":
        tip = _top_level_block(parser, tip, "para")
    tip.lines.append(line)


def _top_level_block(parser: _Parser, tip: Block, kind: str) -> Block:
    """A new block at the top level, after closing the open one (a paragraph or table)."""
    if tip.kind != "doc":
        parser._finalize(tip)
    block = Block(kind, parser.doc)
    block.gap = parser.last_blank
    parser.doc.children.append(block)
    parser.tip = block
    return block


def _top_level_fence(parser: _Parser, fence: Block, lines: list[str], i: int) -> int:
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
            parser._finalize(fence)
        parser.last_blank = False
        return end + 1
    for j in range(i, len(lines)):
        line = lines[j]
        if line.startswith(mark[:3]) or (line[:1] == " " and line.lstrip(" ").startswith(mark[:3])):
            rest = line.lstrip(" ")
            m = _FENCE_CLOSE.match(rest)
            if len(line) - len(rest) <= 3 and m and len(m.group(1)) >= len(mark) and m.group(1)[0] == mark[0]:
                fence.lines.extend(lines[i:j])
                parser._finalize(fence)
                parser.last_blank = False
                return j + 1
    fence.lines.extend(lines[i:])
    return len(lines)
