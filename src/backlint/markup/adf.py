"""Atlassian Document Format (Jira Cloud REST v3) → backlint's normalised text.

``adf_to_text`` renders an ADF document to the normalised plain text described in
:mod:`backlint.markup.normalised_text`. The other direction, backlint's comment Markdown to ADF,
is :mod:`backlint.markup.adf_from_markdown`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from backlint.markup.normalised_text import link_text, tidy_lines

__all__ = ["adf_to_text"]

_MAX_DEPTH = 64  # deeper subtrees are flattened iteratively instead of recursing
_INLINE_TYPES = {
    "text",
    "hardBreak",
    "mention",
    "emoji",
    "inlineCard",
    "date",
    "status",
    "mediaInline",
    "placeholder",
    "inlineExtension",
}
_LIST_TYPES = {"bulletList", "orderedList", "taskList", "decisionList"}
_EMOJI_CHECKBOX = re.compile(r"^(\s*)- :(check_mark|cross_mark):\s*")


def _children(node: Any) -> list[Any]:
    content = node.get("content") if isinstance(node, dict) else None
    return [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []


def _attrs(node: dict[str, Any]) -> dict[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _flat_text(node: Any) -> str:
    """Collect all text below ``node`` iteratively (used past the depth guard)."""
    words: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if not isinstance(cur, dict):
            continue
        if isinstance(cur.get("text"), str):
            words.append(cur["text"])
        stack.extend(reversed(_children(cur)))
    return " ".join(w.strip() for w in words if w.strip())


def _url(attrs: dict[str, Any]) -> str:
    data = attrs.get("data")
    return _str(attrs.get("url")) or (_str(data.get("url")) if isinstance(data, dict) else "")


def _inline_atom(node: dict[str, Any], depth: int) -> str:
    kind, attrs = node.get("type"), _attrs(node)
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        name = _str(attrs.get("text")) or _str(attrs.get("id")) or "unknown"
        return "@" + name.lstrip("@")
    if kind == "emoji":
        return _str(attrs.get("shortName")) or _str(attrs.get("text"))
    if kind == "inlineCard":
        return _url(attrs)
    if kind == "status":
        return _str(attrs.get("text"))
    if kind == "date":
        try:
            stamp = float(attrs.get("timestamp"))  # type: ignore[arg-type]
            return datetime.fromtimestamp(stamp / 1000, tz=UTC).strftime("%Y-%m-%d")
        except (TypeError, ValueError, OverflowError, OSError):
            return ""
    if kind in ("placeholder", "mediaInline"):
        return ""
    if isinstance(node.get("text"), str):
        return node["text"]
    return _inline(_children(node), depth + 1)


def _inline(nodes: list[Any], depth: int = 0) -> str:
    """Render inline nodes; consecutive text nodes sharing one link are merged."""
    if depth > _MAX_DEPTH:
        return " ".join(_flat_text(n) for n in nodes)
    out: list[str] = []
    link_href: str | None = None
    link_parts: list[str] = []

    def flush() -> None:
        nonlocal link_href
        if link_href is not None:
            out.append(link_text("".join(link_parts), link_href))
            link_href = None
            link_parts.clear()

    for node in nodes:
        if not isinstance(node, dict):
            continue
        if node.get("type") != "text":
            flush()
            atom = _inline_atom(node, depth)
            if node.get("type") == "inlineCard" and out and out[-1] and out[-1][-1] not in " \n(":
                atom = " " + atom
            out.append(atom)
            continue
        text = _str(node.get("text"))
        marks = node.get("marks") if isinstance(node.get("marks"), list) else []
        mark_types = {m.get("type"): m for m in marks if isinstance(m, dict)}
        if "code" in mark_types and text:
            text = f"`{text}`"
        href = _str(_attrs(mark_types["link"]).get("href")) if "link" in mark_types else None
        if href != link_href:
            flush()
        if href is None:
            out.append(text)
        else:
            link_href = href
            link_parts.append(text)
    flush()
    return "".join(out)


def _indent(lines: list[str], marker: str) -> list[str]:
    """Prefix the first line with ``marker`` and indent the rest by two spaces."""
    if not lines:
        return [marker.rstrip()]
    return [marker + lines[0].lstrip()] + ["  " + ln if ln else ln for ln in lines[1:]]


def _list(node: dict[str, Any], depth: int) -> list[str]:
    kind, lines = node.get("type"), []
    start = _attrs(node).get("order", 1)
    number = start if isinstance(start, int) and not isinstance(start, bool) else 1
    for item in _children(node):
        item_type = item.get("type")
        if item_type in _LIST_TYPES:  # nested taskList/decisionList sit beside their items
            lines += ["  " + ln if ln else ln for ln in _list(item, depth + 1)]
            continue
        body = [ln for ln in _blocks(_children(item), depth + 1) if ln]
        if kind == "orderedList":
            marker = f"{number}. "
            number += 1
        elif item_type == "taskItem":
            marker = "- [x] " if _attrs(item).get("state") == "DONE" else "- [ ] "
        else:
            marker = "- "
        lines += _indent(body, marker)
    return [
        _EMOJI_CHECKBOX.sub(
            lambda m: m.group(1) + ("- [x] " if m.group(2) == "check_mark" else "- [ ] "), ln
        )
        for ln in lines
    ]


def _block(node: dict[str, Any], depth: int) -> list[str]:
    """Render one block node to lines (no surrounding blank lines)."""
    kind, attrs = node.get("type"), _attrs(node)
    if depth > _MAX_DEPTH:
        return [_flat_text(node)]
    if kind == "paragraph":
        return _inline(_children(node), depth).split("\n")
    if kind == "heading":
        level = attrs.get("level")
        level = min(max(level, 1), 6) if isinstance(level, int) else 1
        return ["#" * level + " " + _inline(_children(node), depth).replace("\n", " ").strip()]
    if kind in _LIST_TYPES:
        return _list(node, depth)
    if kind == "codeBlock":
        code = "".join(_str(c.get("text")) for c in _children(node)).strip("\n")
        return ["```" + _str(attrs.get("language")).strip(), *code.split("\n"), "```"]
    if kind == "blockquote":
        return [("> " + ln).rstrip() for ln in _blocks(_children(node), depth + 1)]
    if kind == "rule":
        return ["---"]
    if kind == "table":
        rows = []
        for row in _children(node):
            cells = [
                " ".join(ln for ln in _blocks(_children(c), depth + 1) if ln)
                for c in _children(row)
            ]
            rows.append(" | ".join(cells))
        return rows
    if kind in ("blockCard", "embedCard"):
        return [_url(attrs)]
    if kind in ("media", "mediaSingle", "mediaGroup"):
        alts = [_str(_attrs(m).get("alt")) for m in [node, *_children(node)]]
        alt = next((a for a in alts if a), "")
        return [f"[image: {alt}]" if alt else "[image]"]
    if kind in ("expand", "nestedExpand"):
        title = _str(attrs.get("title")).strip()
        return ([title, ""] if title else []) + _blocks(_children(node), depth + 1)
    if kind in _INLINE_TYPES or isinstance(node.get("text"), str):
        return _inline([node], depth).split("\n")
    return _blocks(_children(node), depth + 1)  # panel, doc, layouts and unknown types


def _blocks(nodes: list[Any], depth: int) -> list[str]:
    """Render a sequence of block nodes separated by blank lines.

    Stray inline nodes among blocks (malformed ADF) are grouped into a paragraph.
    """
    lines: list[str] = []
    pending: list[Any] = []

    def emit(block_lines: list[str]) -> None:
        if any(ln.strip() for ln in block_lines):
            if lines:
                lines.append("")
            lines.extend(block_lines)

    for node in nodes:
        if not isinstance(node, dict):
            continue
        if node.get("type") in _INLINE_TYPES:
            pending.append(node)
            continue
        if pending:
            emit(_inline(pending, depth).split("\n"))
            pending = []
        emit(_block(node, depth))
    if pending:
        emit(_inline(pending, depth).split("\n"))
    return lines


def adf_to_text(doc: dict[str, Any] | str | None) -> str:
    """Render an ADF document (dict or JSON string) to backlint's normalised plain text.

    A string that is not JSON is treated as an already-plain description (Jira REST v2)
    and returned with normalised newlines.  Unknown node types render their children or
    text; anything that is not a dict yields ``''``.  Never raises.
    """
    if isinstance(doc, str):
        try:
            parsed = json.loads(doc)
        except ValueError:
            return tidy_lines([doc.replace("\r\n", "\n").replace("\r", "\n")])
        doc = parsed if isinstance(parsed, dict) else None
    if not isinstance(doc, dict):
        return ""
    try:
        return tidy_lines(_block(doc, 0))
    except RecursionError:  # pragma: no cover - guarded by _MAX_DEPTH
        return _flat_text(doc)
