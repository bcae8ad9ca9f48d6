"""The pieces the Markdown block parser is made of: line patterns and the block tree.

:class:`Block` is a node of the tree :mod:`backlint.markup.markdown_parse` builds; the
patterns are CommonMark's (and GFM's, for tables) for the starts and ends of blocks.
"""

from __future__ import annotations

import re

__all__ = ["Block", "split_cells"]

# First characters a line may open a block with (or a table's delimiter row start with); a
# line starting with anything else is text wherever a paragraph is open.
MAYBE_SPECIAL = frozenset("#`~*+_=<>-|:0123456789")
NOT_PLAIN = MAYBE_SPECIAL | {" ", "\t", ""}
TEXT_TIPS = frozenset(("doc", "para", "table"))
LEADING_TABS = re.compile(r"[ \t>*+\-.)0-9]*\t")
ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
FENCE_OPEN = re.compile(r"`{3,}(?!.*`)|~{3,}")
FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
BULLET = re.compile(r"[*+-](?=[ \t]|$)")
ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
TABLE_DELIM = re.compile(r"[-:|][-:| \t]*$")
TABLE_ALIGN = re.compile(r":?-+:?$")

_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|"
    "optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|"
    "track|ul"
)
_ATTRIBUTE = (
    r"(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*"
    r"(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)"
)
OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>"
CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
#: (start, end) of the seven kinds of HTML block; kinds 6 and 7 end at a blank line.
HTML_BLOCKS = (
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


def heading_text(rest: str) -> str:
    """An ATX heading's text: the rest of its line without the closing run of ``#``."""
    rest = rest.strip(" \t")
    return _ATX_CLOSE.sub("", rest) if rest.endswith("#") else rest


def from_column(raw: str, column: int) -> str:
    """``raw`` from ``column`` on (tabs stop every four columns; a tab that spans the column
    leaves its remaining columns as spaces), so code keeps the tabs it has after its indent."""
    at = index = 0
    while index < len(raw) and at < column:
        at = at + 4 - at % 4 if raw[index] == "\t" else at + 1
        index += 1
    return " " * (at - column) + raw[index:]


def can_contain(parent: str, child: str) -> bool:
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
