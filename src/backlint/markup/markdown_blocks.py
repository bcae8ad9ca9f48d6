"""CommonMark's block algorithm, one line at a time (the general case of the block parser).

:class:`BlockParser` follows the line-by-line strategy of the CommonMark spec's appendix:
each line first continues the open containers (block quotes, list items) it matches, then
may open new blocks, and what remains is text (a paragraph line, possibly a lazy one). Tabs
are expanded to four-column stops in a line's leading markup only, the one place where they
decide structure. :mod:`backlint.markup.markdown_parse` drives it and takes the common
top-level cases by shortcuts that give the same tree.
"""

from __future__ import annotations

from backlint.markup.markdown_refs import strip_definitions
from backlint.markup.markdown_syntax import (
    ATX,
    BULLET,
    FENCE_CLOSE,
    FENCE_OPEN,
    HTML_BLOCKS,
    LEADING_TABS,
    MAX_DEPTH,
    MAYBE_SPECIAL,
    ORDERED,
    SETEXT,
    TABLE_ALIGN,
    TABLE_DELIM,
    THEMATIC,
    Block,
    can_contain,
    from_column,
    heading_text,
    split_cells,
)

__all__ = ["BlockParser"]

# continue() results; a block start also says _WHOLE_LINE when it used up the line
_MATCHED, _UNMATCHED, _CONSUMED = 0, 1, 2
_WHOLE_LINE = 3


class BlockParser:
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
        while not can_contain(self.tip.kind, kind):
            self.finalize(self.tip)
        child = Block(kind, self.tip)
        child.gap = self.gap
        self.tip.children.append(child)
        self.tip = child
        return child

    def _close_unmatched(self) -> None:
        if not self.all_closed:
            while self.old_tip is not self.last_matched:
                parent = self.old_tip.parent
                self.finalize(self.old_tip)
                self.old_tip = parent  # type: ignore[assignment]
            self.all_closed = True

    def finalize(self, block: Block) -> None:
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
                fence = block.fence
                if self.indent <= 3 and self.line[self.nonspace : self.nonspace + 1] == fence[0]:
                    m = FENCE_CLOSE.match(self.line, self.nonspace)
                    if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                        self.finalize(block)
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
        if char == "#" and (m := ATX.match(line, at)):
            self._close_unmatched()
            block = self._add_child("heading")
            block.level = len(m.group(1))
            block.lines = [heading_text(line[m.end() :])]
            self.finalize(block)  # a heading is one line: the next one continues its parent
            return _WHOLE_LINE, block
        if char in "`~" and (m := FENCE_OPEN.match(line, at)):
            self._close_unmatched()
            block = self._add_child("code")
            block.fence, block.fence_indent = m.group(0), self.indent
            block.info = line[m.end() :].strip()
            return _WHOLE_LINE, block
        if char == "<":
            rest = line[at:]
            for kind, (opener, _) in enumerate(HTML_BLOCKS, 1):
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
            if char in "=-" and SETEXT.match(line, at):
                self._close_unmatched()
                lines = container.lines
                if lines[0][:1] == "[":
                    lines = strip_definitions(lines, self.refs)
                if lines:
                    container.kind, container.lines = "heading", ["\n".join(lines)]
                    container.level = 1 if char == "=" else 2
                    self.finalize(container)
                    return _WHOLE_LINE, container
        if char in "*-_" and THEMATIC.match(line, at):
            self._close_unmatched()
            block = self._add_child("hr")
            self.finalize(block)
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
        m = BULLET.match(line, at)
        ordered, start, marker = False, 1, ""
        if m:
            marker = m.group(0)
        else:
            m = ORDERED.match(line, at)
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
        if not TABLE_DELIM.match(delim) or (delim[0] == "-" and delim[1:2] in (" ", "\t")):
            return None
        cols = delim.split("|")
        if cols and not cols[0].strip():
            cols.pop(0)
        if cols and not cols[-1].strip():
            cols.pop()
        if len(delim) < 2 or not cols or not all(TABLE_ALIGN.match(c.strip()) for c in cols):
            return None
        header = para.lines[-1]
        if "|" not in header or len(split_cells(header)) != len(cols):
            return None
        self._close_unmatched()
        para.lines.pop()
        parent = para.parent
        if para.lines:
            self.finalize(para)
        else:
            parent.children.remove(para)  # type: ignore[union-attr]
            self.tip = parent  # type: ignore[assignment]
        table = self._add_child("table")
        table.ncols, table.lines, table.gap = len(cols), [header], True
        return table

    # --- one line ------------------------------------------------------------------------

    def add_line(self, line: str) -> None:
        raw = None
        if "\t" in line and (m := LEADING_TABS.match(line)):
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
            if self.blank or (self.indent < 4 and line[self.nonspace] not in MAYBE_SPECIAL):
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
            text = line[self.offset :] if raw is None else from_column(raw, self.offset)
            if kind != "code" or container.fence or not self.blank or container.lines:
                container.lines.append(text)
            if kind == "html" and container.html_kind <= 5:
                closer = HTML_BLOCKS[container.html_kind - 1][1]
                if closer and closer.search(text):
                    self.finalize(container)
        elif not self.blank:
            para = self._add_child("para")
            para.lines.append(line[self.offset :])

    def finish(self) -> Block:
        while self.tip is not self.doc:
            self.finalize(self.tip)
        self.finalize(self.doc)
        return self.doc
