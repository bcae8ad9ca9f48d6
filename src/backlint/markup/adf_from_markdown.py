"""backlint's comment Markdown → Atlassian Document Format (Jira Cloud REST v3).

``markdown_to_adf`` turns the small Markdown subset that backlint writes in its own comments
(headings, lists, quotes, rules, fenced code, bold, code spans, links) into a valid ADF ``doc``.
"""

from __future__ import annotations

import re
from typing import Any

from backlint.markup.escapes import protect, restore

__all__ = ["markdown_to_adf"]

_INLINE_TOKEN = re.compile(
    r"(?P<code>`[^`\n]+`)|(?P<bold>\*\*(?=\S)(?:.+?)(?<=\S)\*\*)"
    r"|\[(?P<ltext>[^\]\n]+)\]\((?P<href>[^()\s]+)\)|(?P<url>https?://[^\s<>()\[\]]+)"
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_MD_ORDERED = re.compile(r"^(\s*)\d+[.)]\s+(.*)$")
_MD_COMMENT = re.compile(r"^\s*<!--\s*(.*?)\s*-->\s*$")


def _text_node(text: str, marks: list[dict[str, Any]]) -> dict[str, Any]:
    # ADF text is literal: escaped Markdown characters become the plain characters.
    node: dict[str, Any] = {"type": "text", "text": restore(text)}
    if marks:
        node["marks"] = [dict(m) for m in marks]
    return node


def _parse_inline(text: str, marks: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Parse ``**bold**``, `` `code` ``, ``[text](url)`` and bare URLs into ADF text nodes."""
    marks = marks or []
    nodes: list[dict[str, Any]] = []
    pos = 0
    for m in _INLINE_TOKEN.finditer(text):
        if m.start() > pos:
            nodes.append(_text_node(text[pos : m.start()], marks))
        if m.group("code"):
            link = [mk for mk in marks if mk["type"] == "link"]
            nodes.append(_text_node(m.group("code")[1:-1], [{"type": "code"}, *link]))
        elif m.group("bold"):
            strong = (
                marks
                if any(mk["type"] == "strong" for mk in marks)
                else [*marks, {"type": "strong"}]
            )
            nodes += _parse_inline(m.group("bold")[2:-2], strong)
        elif m.group("href"):
            link_mark = {"type": "link", "attrs": {"href": restore(m.group("href"))}}
            nodes += _parse_inline(m.group("ltext"), [*marks, link_mark])
        else:
            url = m.group("url").rstrip(".,;:!?")
            link_mark = {"type": "link", "attrs": {"href": url}}
            nodes.append(_text_node(url, [*marks, link_mark]))
            if len(url) < len(m.group("url")):
                nodes.append(_text_node(m.group("url")[len(url) :], marks))
        pos = m.end()
    if pos < len(text):
        nodes.append(_text_node(text[pos:], marks))
    merged: list[dict[str, Any]] = []
    for node in nodes:
        if not node["text"]:
            continue
        if merged and merged[-1].get("marks") == node.get("marks"):
            merged[-1]["text"] += node["text"]
        else:
            merged.append(node)
    return merged


def _paragraph(lines: list[str]) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    for i, line in enumerate(lines):
        if i:
            content.append({"type": "hardBreak"})
        content += _parse_inline(line)
    return {"type": "paragraph", "content": content}


def _add_item(
    content: list[dict[str, Any]],
    lists: list[tuple[int, dict[str, Any]]],
    indent: int,
    kind: str,
    text: str,
) -> None:
    """Append a list item, opening (nested) lists as the indentation requires."""
    while lists and (
        lists[-1][0] > indent or (lists[-1][0] == indent and lists[-1][1]["type"] != kind)
    ):
        lists.pop()
    if not lists or lists[-1][0] < indent:
        new_list: dict[str, Any] = {"type": kind, "content": []}
        if lists:
            lists[-1][1]["content"][-1]["content"].append(new_list)
        else:
            content.append(new_list)
        lists.append((indent, new_list))
    lists[-1][1]["content"].append({"type": "listItem", "content": [_paragraph([text])]})


def markdown_to_adf(md: str) -> dict[str, Any]:
    """Convert backlint's Markdown subset to an ADF ``doc`` (version 1).

    Supports ``#`` headings, ``-`` bullets (nested by indentation), ``1.`` numbered items,
    ``> `` quotes, ``---`` rules, fenced code, paragraphs (lines joined by hard breaks),
    ``**bold**``, `` `code` ``, ``[text](url)``, bare URLs, and backlint's marker comment,
    which becomes a plain paragraph holding its text; other HTML comments are dropped.
    Backslash-escaped characters are literal text, never markup.
    """
    content: list[dict[str, Any]] = []
    para: list[str] = []
    lists: list[tuple[int, dict[str, Any]]] = []  # (indent, list node) from outermost
    lines = protect(md or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def close() -> None:
        if para:
            content.append(_paragraph(para))
            para.clear()
        lists.clear()

    i, quote_open = 0, False
    while i < len(lines):
        line = lines[i]
        i += 1
        item = _MD_BULLET.match(line) or _MD_ORDERED.match(line)
        if item and not re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            if para:
                content.append(_paragraph(para))
                para.clear()
            kind = "bulletList" if _MD_BULLET.match(line) else "orderedList"
            _add_item(content, lists, len(item.group(1).expandtabs(4)), kind, item.group(2))
            continue
        if lists and line.startswith("  ") and line.strip():
            target = lists[-1][1]["content"][-1]["content"][0]["content"]
            target += [{"type": "hardBreak"}, *_parse_inline(line.strip())]
            continue
        stripped = line.strip()
        quote_open = quote_open and stripped.startswith(">")
        comment = _MD_COMMENT.match(line)
        heading = _MD_HEADING.match(stripped)
        fence = re.match(r"^\s*(`{3,}|~{3,})\s*(\S*)", line)
        if not stripped:
            close()
        elif comment:
            close()
            # Only backlint's own marker survives, as quiet visible text; other comments go.
            if comment.group(1).startswith("backlint:v1"):
                content.append(p_plain := {"type": "paragraph", "content": []})
                p_plain["content"].append({"type": "text", "text": restore(comment.group(1))})
        elif fence:
            close()
            code: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
                code.append(lines[i])
                i += 1
            i += 1
            block: dict[str, Any] = {"type": "codeBlock", "attrs": {}}
            if fence.group(2):
                block["attrs"]["language"] = fence.group(2)
            if code:
                block["content"] = [{"type": "text", "text": "\n".join(code)}]
            content.append(block)
        elif heading:
            close()
            content.append(
                {
                    "type": "heading",
                    "attrs": {"level": len(heading.group(1))},
                    "content": _parse_inline(heading.group(2)),
                }
            )
        elif re.fullmatch(r"([-*_])(\s*\1){2,}", stripped):
            close()
            content.append({"type": "rule"})
        elif stripped.startswith(">"):
            quoted = stripped.lstrip("> ")
            if content and content[-1]["type"] == "blockquote" and quote_open:
                content[-1]["content"][0]["content"] += [
                    {"type": "hardBreak"},
                    *_parse_inline(quoted),
                ]
            else:
                close()
                content.append({"type": "blockquote", "content": [_paragraph([quoted])]})
            quote_open = True
            continue
        else:
            lists.clear()
            para.append(stripped)
    close()
    return {"type": "doc", "version": 1, "content": content}
