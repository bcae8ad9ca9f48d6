"""What raw HTML in Markdown becomes in the normalised text.

CommonMark passes HTML through untouched; a browser then shows its text. backlint keeps that
text: comments go (they are template instructions nobody sees), known tags are dropped or
become line breaks (``<br>``, block tags), ``<li>`` a list line, ``<h3>`` a heading line and
``<img alt="x">`` ``[image: x]``. Unknown "tags" such as ``<String>`` or ``<your name>``
stay as written: to a reader of the source they are words, and template rules look for them.
"""

from __future__ import annotations

import html
import re

__all__ = ["COMMENT", "html_block_text", "inline_html_text"]

_HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|col|colgroup|dd|del|details|div|dl|dt|"
    "em|font|footer|h[1-6]|header|hr|i|img|input|ins|kbd|label|li|mark|ol|p|picture|pre|q|s|"
    "samp|section|small|source|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|"
    "thead|tr|tt|u|ul|var|video|wbr"
)
_TAG = re.compile(rf"<(/?)({_HTML_TAGS})\b[^<>]*>", re.IGNORECASE)
_IMG_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
#: An HTML comment as a block's content has it: to ``-->`` or to the end when unclosed.
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLOCK_TAGS = frozenset(
    (
        "details", "summary", "p", "div", "table", "tr", "ul", "ol", "pre", "blockquote",
        "section", "header", "footer", "dl", "dt", "dd", "center",
    )
)
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))


def _tag(m: re.Match[str]) -> str:
    """The text one known tag becomes."""
    closing, name = m.group(1), m.group(2).lower()
    if name == "br":
        return "\n"
    if name == "img":
        alt = _IMG_ALT.search(m.group(0))
        return f"[image: {alt.group(1)}]" if alt and alt.group(1) else "[image]"
    if name == "hr":
        return "\n---\n"
    if name == "li":
        return "" if closing else "\n- "
    if name in _HEADINGS:
        return "\n" if closing else "\n" + "#" * int(name[1]) + " "
    if name in ("td", "th"):
        return " | " if closing else ""
    if name in _BLOCK_TAGS:
        return "\n"
    return ""


def html_block_text(content: str, keep_comments: bool = False) -> str:
    """The text an HTML block shows: comments and known tags out, entities decoded."""
    if not keep_comments and "<!--" in content:
        content = COMMENT.sub("", content)
    if "<" in content:
        content = _TAG.sub(_tag, content)
    if "&" in content:
        content = html.unescape(content)
    return content


def inline_html_text(tag: str, keep_comments: bool = False) -> str:
    """What one piece of inline raw HTML (a tag, a comment, ...) becomes."""
    if tag.startswith("<!--"):
        return tag if keep_comments else ""
    m = _TAG.fullmatch(tag)
    return _tag(m) if m else tag
