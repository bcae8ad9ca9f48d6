"""The Markdown converter as it was before issue 15 (regexes over lines), kept for
bench/bench_markdown.py to measure the CommonMark converter against. Not used by backlint.

It is the old ``backlint.markup.markdown`` with the old ``tidy_lines`` beside it, unchanged
but for these two lines of docstring and the imports.
"""
# ruff: noqa
from __future__ import annotations

import re

from backlint.markup.normalised_text import HEADING_LINE, LIST_LINE, link_text


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^`\s]*)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,9})[.)][ \t]+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
_QUOTE = re.compile(r"^\s{0,3}>[ \t]?(.*)$")
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_COMMENT_OR_FENCE = re.compile(
    r"(^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\2[ \t]*$|\Z))|<!--.*?(?:-->|\Z)",
    re.DOTALL | re.MULTILINE,
)
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|col|colgroup|dd|del|details|div|dl|dt|"
    "em|font|footer|h[1-6]|header|hr|i|img|input|ins|kbd|label|li|mark|ol|p|picture|pre|q|s|"
    "samp|section|small|source|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|"
    "thead|tr|tt|u|ul|var|video|wbr"
)
_TAG = re.compile(rf"<(/?)({_HTML_TAGS})\b[^<>]*>", re.IGNORECASE)
_IMG_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_BLOCK_TAGS = {
    "details",
    "summary",
    "p",
    "div",
    "table",
    "tr",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "section",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "center",
}
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^()\s]*)(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_EMPHASIS = (
    re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"),
    re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
    re.compile(r"(?<!~)~~(?=\S)(.+?)(?<=\S)~~(?!~)"),
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HIDDEN = re.compile("[\ue000-\ue07f]")


def _strip_tags(text: str) -> str:
    """Remove known HTML tags, turning block tags into line breaks and <br> into newlines."""

    def repl(m: re.Match[str]) -> str:
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
        if re.fullmatch(r"h[1-6]", name):
            return "\n" if closing else "\n" + "#" * int(name[1]) + " "
        if name in ("td", "th"):
            return " | " if closing else ""
        if name in _BLOCK_TAGS:
            return "\n"
        return ""

    return _TAG.sub(repl, text)


def _inline(text: str) -> str:
    """Strip inline Markdown (emphasis, links, images, escapes), keeping code spans verbatim."""
    parts = _INLINE_CODE.split(text)
    out: list[str] = []
    # split() with two groups yields: text, ticks, code, text, ticks, code, ...
    for i in range(0, len(parts), 3):
        seg = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), parts[i])  # hide escapes
        seg = _IMAGE.sub(lambda m: f"[image: {m.group(1)}]" if m.group(1) else "[image]", seg)
        seg = _LINK.sub(lambda m: link_text(m.group(1), m.group(2)), seg)
        seg = _AUTOLINK.sub(r"\1", seg)
        for pattern in _EMPHASIS:
            for _ in range(3):  # nested emphasis like ***x***
                seg, n = pattern.subn(r"\1", seg)
                if not n:
                    break
        out.append(_HIDDEN.sub(lambda m: chr(ord(m.group(0)) - 0xE000), seg))
        if i + 2 < len(parts):
            out.append(f"`{parts[i + 2].strip()}`")
    return "".join(out)


def _split_cells(line: str) -> list[str]:
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [_inline(c.strip()) for c in re.split(r"(?<!\\)\|", body)]


def _render_prose(text: str, lines_out: list[str]) -> None:
    """Normalise a run of non-code Markdown lines into ``lines_out``."""
    src = text.split("\n")
    stack: list[tuple[int, str, int]] = []  # (source indent, "-" or "1", next number)
    in_table = skip = False
    for idx, line in enumerate(src):
        if skip:
            skip = False
            continue
        nxt = src[idx + 1] if idx + 1 < len(src) else ""
        if not line.strip():
            lines_out.append("")
            in_table = False
            continue
        if in_table and "|" in line:
            lines_out.append(" | ".join(_split_cells(line)))
            continue
        in_table = False
        if "|" in line and "-" in nxt and _TABLE_DELIM.match(nxt) and not _BULLET.match(line):
            lines_out += ["", " | ".join(_split_cells(line))]
            in_table = skip = True
            stack.clear()
            continue
        if re.fullmatch(r" {0,3}=+\s*", line) and lines_out and _is_para(lines_out[-1]):
            lines_out[-1] = "# " + lines_out[-1]
            continue
        if re.fullmatch(r" {0,3}-+\s*", line) and lines_out and _is_para(lines_out[-1]):
            lines_out[-1] = "## " + lines_out[-1]
            continue
        if _THEMATIC.match(line):
            lines_out.append("---")
            stack.clear()
            continue
        m = _ATX.match(line)
        if m:
            lines_out.append(f"{m.group(1)} {_inline(m.group(2) or '')}".rstrip())
            stack.clear()
            continue
        m = _QUOTE.match(line)
        if m:
            depth, rest = 1, m.group(1)
            while (m := _QUOTE.match(rest)) is not None:
                depth, rest = depth + 1, m.group(1)
            inner: list[str] = []
            _render_prose(rest, inner)
            lines_out.extend(("> " * depth + x).rstrip() for x in inner or [""])
            continue
        bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
        if bullet or ordered:
            indent = len((bullet or ordered).group(1).expandtabs(4))  # type: ignore[union-attr]
            while stack and stack[-1][0] > indent:
                stack.pop()
            if (stack and stack[-1][0] < indent) or not stack:
                stack.append((indent, "", 1))
            level = len(stack) - 1
            _, kind, number = stack[-1]
            if bullet:
                body, marker = bullet.group(2), "-"
                stack[-1] = (indent, "-", 1)
            else:
                start = int(ordered.group(2))  # type: ignore[union-attr]
                number = number if kind == "1" else start
                body, marker = ordered.group(3), f"{number}."  # type: ignore[union-attr]
                stack[-1] = (indent, "1", number + 1)
            cb = _CHECKBOX.match(body)
            if cb:
                mark = "x" if cb.group(1) in "xX" else " "
                body = f"[{mark}] " + body[cb.end() :]
            lines_out.append("  " * level + f"{marker} {_inline(body)}".rstrip())
            continue
        if stack and line.startswith(" "):
            lines_out.append("  " * len(stack) + _inline(line.strip()))
            continue
        stack.clear()
        lines_out.append(_inline(line.strip()))


def _is_para(line: str) -> bool:
    return bool(line.strip()) and not (
        HEADING_LINE.match(line) or LIST_LINE.match(line) or line.startswith(">") or line == "---"
    )


def markdown_to_text(text: str | None, keep_comments: bool = False) -> str:
    """Normalise GitHub-flavoured Markdown into backlint's plain text form.

    ``\\r\\n`` becomes ``\\n``; HTML comments are removed unless ``keep_comments`` is true;
    HTML tags are stripped (``<details>``/``<summary>`` keep their text); ``*``/``+``
    bullets become ``- ``; ``- [X]`` becomes ``- [x]``; setext headings become ``#``/``##``;
    emphasis markers are removed; links become ``text (url)``.  Never raises.
    """
    if not isinstance(text, str) or not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_comments:
        text = _COMMENT_OR_FENCE.sub(lambda m: m.group(1) or "", text)
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            _flush(prose, out)
            fence = m.group(1)
            out += ["", "```" + m.group(2)]
        elif fence is not None:
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                out += ["```", ""]
                fence = None
            else:
                out.append(line)
        else:
            prose.append(line)
    if fence is not None:
        out += ["```", ""]
    _flush(prose, out)
    return tidy_lines(out)


def _flush(prose: list[str], out: list[str]) -> None:
    if not prose:
        return
    chunk = "\n".join(prose)
    prose.clear()
    chunk = _strip_tags(chunk)
    _render_prose(chunk, out)


def tidy_lines(lines: list[str]) -> str:
    """Join rendered lines into normalised text.

    Strips trailing whitespace, puts one blank line around headings and lists, collapses
    runs of blank lines (never inside ``` fences) and trims leading/trailing blank lines.
    """
    out: list[str] = []
    in_fence = False
    prev_kind = last_kind = list_family = ""
    for raw in lines:
        for line in raw.split("\n"):
            line = line.rstrip()
            if in_fence:
                if line.lstrip().startswith("```"):
                    while out and not out[-1]:
                        out.pop()
                    in_fence, prev_kind = False, "fence"
                elif not line and out[-1].lstrip().startswith("```"):
                    continue  # no blank lines just inside the opening fence
                out.append(line)
                continue
            if not line:
                if out and out[-1] != "":
                    out.append("")
                last_kind, prev_kind = prev_kind or last_kind, ""
                continue
            if line.lstrip().startswith("```"):
                kind = "fence"
                in_fence = True
            elif HEADING_LINE.match(line) or line == "---":
                kind = "heading"
            elif LIST_LINE.match(line) or (prev_kind == "list" and line.startswith("  ")):
                kind = "list"
            else:
                kind = "text"
            family = "1" if line[:1].isdigit() else line[:1]
            if kind == "list" and family != " ":
                if family != list_family:
                    last_kind = ""
                list_family = family
            if kind == "list" and last_kind == "list" and not prev_kind and out[-1] == "":
                out.pop()  # loose lists and adjacent lists become one compact list
                prev_kind = "list"
            new_block = prev_kind and (kind != prev_kind or kind in ("heading", "fence"))
            if new_block and out and out[-1] != "":
                out.append("")
            out.append(line)
            prev_kind = kind
    while out and out[-1] == "":
        out.pop()
    while out and out[0] == "":
        out.pop(0)
    return "\n".join(out)
