"""Jira wiki markup (Server/Data Center, REST v2) ↔ backlint's normalised text.

``wiki_to_text`` strips wiki markup into the normalised plain text described in
:mod:`backlint.markup.normalised_text`; ``markdown_to_wiki`` turns the small Markdown subset that
backlint writes in its own comments into wiki markup.
"""

from __future__ import annotations

import re

from backlint.markup.escapes import protect, restore
from backlint.markup.normalised_text import link_text, tidy_lines

__all__ = ["markdown_to_wiki", "wiki_to_text"]

_CODE_OPEN = re.compile(r"\{(code|noformat)(?::([^}\n]*))?\}")
_BLOCK_MACRO = re.compile(
    r"\{(quote|panel|info|note|tip|warning|expand|section|column)(?::([^}\n]*))?\}", re.IGNORECASE
)
_DROP_MACRO = re.compile(r"\{(?:color|anchor|toc|status|jira)(?::[^}\n]*)?\}", re.IGNORECASE)
_QUOTE_MARK = "\x00quote\x00"
_HEADING = re.compile(r"^\s*h([1-6])\.(?!\d)\s*(.*)$")
_BQ = re.compile(r"^\s*bq\.\s*(.*)$")
_LIST = re.compile(r"^\s*([*#]+|-)\s+(.*)$")
_RULE = re.compile(r"^\s*-{4,}\s*$")
_TASK = re.compile(r"^(?:\[([ xX])\]|\((/|x)\))\s*")
_PROTECT = re.compile(
    r"\{\{(?P<mono>(?:\\.|[^\\\n])+?)\}\}"
    r"|(?<!\\)\[(?P<link>[^\[\]\n]+?)(?<!\\)\]"
    r"|!(?P<img>[^\s!|][^!\n|]*?\.[A-Za-z0-9]{2,5})(?:\|[^!\n]*)?!"
    r"|(?P<url>(?:https?|ftp|file)://[^\s\]|{}<>\"]+)"
)
_EMPHASIS = [
    re.compile(rf"(?<![\w{c}]){c}(?=[^\s{c}])(.+?)(?<=[^\s{c}]){c}(?![\w{c}])")
    for c in (r"\*", "_", "-", r"\+", r"\^", "~")
] + [re.compile(r"(?<![\w?])\?\?(?=\S)(.+?)(?<=\S)\?\?(?![\w?])")]
_EMOTICONS = {
    "(/)": ":check_mark:",
    "(x)": ":cross_mark:",
    "(!)": ":warning:",
    "(?)": ":question_mark:",
    "(y)": ":thumbsup:",
    "(n)": ":thumbsdown:",
}
_EMOTICON = re.compile(r"(?<!\w)(\(/\)|\(x\)|\(!\)|\(\?\)|\(y\)|\(n\))")
_UNESCAPE = re.compile(r"\\([*_\-+^~?{}\[\]|!#()\\])")


def _link(body: str) -> str:
    """Render the inside of ``[...]``: ``text|url``, ``url``, ``~user``, ``^attachment``."""
    parts = body.split("|")
    if len(parts) >= 2:
        return link_text(_inline(parts[0]), parts[1])
    target = body.strip()
    if target.startswith("~"):
        return "@" + target[1:].removeprefix("accountid:")
    if target.startswith(("^", "#")):
        return target[1:]
    if re.match(r"(?:[a-z][a-z+.-]*://|mailto:|www\.)", target, re.IGNORECASE):
        return target
    return f"[{_inline(body)}]"


def _inline(text: str) -> str:
    """Strip inline wiki markup, keeping text; ``{{mono}}`` becomes `` `mono` ``."""
    out: list[str] = []
    pos = 0
    for m in _PROTECT.finditer(text):
        out.append(_plain(text[pos : m.start()]))
        if m.group("mono") is not None:
            out.append("`" + _UNESCAPE.sub(r"\1", m.group("mono")) + "`")
        elif m.group("link") is not None:
            out.append(_link(m.group("link")))
        elif m.group("img") is not None:
            out.append(f"[image: {m.group('img').rsplit('/', 1)[-1]}]")
        else:
            out.append(m.group("url"))
        pos = m.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


def _plain(text: str) -> str:
    text = _DROP_MACRO.sub("", text)
    for pattern in _EMPHASIS:
        for _ in range(3):  # nested markers like *_x_*
            text, n = pattern.subn(r"\1", text)
            if not n:
                break
    text = _EMOTICON.sub(lambda m: _EMOTICONS[m.group(1)], text)
    return _UNESCAPE.sub(r"\1", text)


def _split_code(text: str) -> list[tuple[str, str]]:
    """Split into ("text", s) and ("code", lang + "\\n" + body) chunks; unclosed = to end."""
    chunks: list[tuple[str, str]] = []
    pos = 0
    while (m := _CODE_OPEN.search(text, pos)) is not None:
        chunks.append(("text", text[pos : m.start()]))
        close = text.find("{" + m.group(1) + "}", m.end())
        body = text[m.end() :] if close < 0 else text[m.end() : close]
        params = [p.strip() for p in (m.group(2) or "").split("|")]
        lang = next((p for p in params if p and "=" not in p), "")
        lang = lang or next((p[9:] for p in params if p.lower().startswith("language=")), "")
        chunks.append(("code", lang + "\n" + body))
        pos = len(text) if close < 0 else close + len(m.group(1)) + 2
    chunks.append(("text", text[pos:]))
    return chunks


def _block_macro(m: re.Match[str]) -> str:
    if m.group(1).lower() == "quote":
        return f"\n{_QUOTE_MARK}\n"
    title = re.search(r"title=([^|}]*)", m.group(2) or "")
    return f"\n\n{title.group(1).strip()}\n\n" if title else "\n\n"


def _render_text(text: str, out: list[str], state: dict[str, bool]) -> None:
    """Render a non-code chunk line by line into ``out``."""
    text = _BLOCK_MACRO.sub(_block_macro, text)
    counters: list[tuple[str, int]] = []  # (list type, items so far) per depth
    prev_kind = ""
    for raw in text.split("\n"):
        if raw == _QUOTE_MARK:
            state["quote"] = not state["quote"]
            out.append("")
            prev_kind = ""
            continue
        line, kind = raw.strip(), "text"
        if not line:
            out.append("")
            counters.clear()
            prev_kind = ""
            continue
        if (m := _HEADING.match(line)) is not None:
            rendered, kind = [f"{'#' * int(m.group(1))} {_inline(m.group(2)).strip()}"], "head"
        elif (m := _BQ.match(line)) is not None:
            rendered, kind = [f"> {x}" for x in _inline(m.group(1)).split("\n")], "quote"
        elif _RULE.match(line):
            rendered, kind = ["---"], "head"
        elif (m := _LIST.match(line)) is not None:
            markers, body, kind = m.group(1), m.group(2), "list"
            depth = len(markers)
            del counters[depth:]
            counters += [("", 0)] * (depth - len(counters))
            list_type = "#" if markers[-1] == "#" else "*"
            number = counters[-1][1] + 1 if counters[-1][0] == list_type else 1
            counters[-1] = (list_type, number)
            task = _TASK.match(body)
            if task is not None:
                done = (task.group(1) or "").lower() == "x" or task.group(2) == "/"
                body = ("[x] " if done else "[ ] ") + body[task.end() :]
            marker = f"{number}." if list_type == "#" else "-"
            lines = _inline(body).split("\n")
            rendered = [f"{'  ' * (depth - 1)}{marker} {lines[0]}"]
            rendered += [f"{'  ' * depth}{x}" for x in lines[1:]]
        elif line.startswith("|"):
            cells = re.split(r"\|\|?", _inline(line).strip())
            if cells and not cells[0].strip():
                cells = cells[1:]
            if cells and not cells[-1].strip():
                cells = cells[:-1]
            rendered, kind = [" | ".join(c.strip() for c in cells)], "table"
        else:
            rendered = _inline(line).split("\n")
        if kind != "list":
            counters.clear()
        if state["quote"]:
            kind = "quote"
        if prev_kind and kind != prev_kind:
            out.append("")
        prev_kind = kind
        out.extend(("> " + x).rstrip() if state["quote"] else x for x in rendered)


def wiki_to_text(text: str | None) -> str:
    """Render Jira wiki markup to backlint's normalised plain text.

    Headings ``h1.``-``h6.`` become ``#`` lines, ``*``/``#`` lists become ``-``/``1.``
    items (two spaces per level), ``{code}``/``{noformat}`` become ``` fences, tables
    become ``a | b`` rows, ``{quote}``/``bq.`` become ``> `` lines; inline markers
    (``*bold*``, ``_it_``, ``{color}``...) are stripped.  Never raises.
    """
    if not isinstance(text, str) or not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(?<!\\)\\\\(?!\\)", "\n", text)  # \\ is a forced line break
    out: list[str] = []
    state = {"quote": False}
    for kind, chunk in _split_code(text):
        if kind == "code":
            lang, _, body = chunk.partition("\n")
            out += ["", "```" + lang, *body.strip("\n").split("\n"), "```", ""]
        else:
            _render_text(chunk, out, state)
    return tidy_lines(out)


# --- Markdown subset → wiki -------------------------------------------------------------

_MD_TOKEN = re.compile(r"(`[^`\n]+`)|\*\*(?=\S)(.+?)(?<=\S)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)")
_MD_COMMENT = re.compile(r"^\s*<!--\s*(.*?)\s*-->\s*$")


_WIKI_SPECIAL = re.compile(r"([{}\[\]!*_+^~?|#])")


def _escape(text: str) -> str:
    """Text as literal wiki markup: every character that could start markup is escaped."""
    return restore(_WIKI_SPECIAL.sub(r"\\\1", text), lambda char: "\\" + char)


def _md_inline(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _MD_TOKEN.finditer(text):
        out.append(_escape(text[pos : m.start()]))
        if m.group(1):
            out.append("{{" + _escape(m.group(1)[1:-1]) + "}}")
        elif m.group(2) is not None:
            out.append("*" + _md_inline(m.group(2)) + "*")
        else:
            label = _md_inline(m.group(3)).replace("|", "-")
            out.append(f"[{label}|{restore(m.group(4))}]")
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def markdown_to_wiki(md: str) -> str:
    """Convert backlint's Markdown subset to Jira wiki markup.

    ``## h`` → ``h2. h``, ``- x`` → ``* x`` (``** x`` when indented), ``1. x`` → ``# x``,
    ``**b**`` → ``*b*``, `` `c` `` → ``{{c}}``, ``[t](u)`` → ``[t|u]``, fences →
    ``{code}``, ``> q`` → ``bq. q``, and a whole-line HTML comment such as
    ``<!-- backlint:v1 digest=abc -->`` → ``{color:#999999}backlint:v1 digest=abc{color}``.
    """
    out: list[str] = []
    lines = protect(md or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    in_code = False
    for line in lines:
        stripped = line.strip()
        fence = re.match(r"^\s*(?:`{3,}|~{3,})\s*(\S*)", line)
        if fence:
            if in_code:
                out.append("{code}")
            else:
                out.append("{code:" + fence.group(1) + "}" if fence.group(1) else "{code}")
            in_code = not in_code
        elif in_code:
            out.append(restore(line))
        elif (m := _MD_COMMENT.match(line)) is not None:
            # Only backlint's own marker survives, as quiet visible text; other comments go.
            if m.group(1).startswith("backlint:v1"):
                out.append("{color:#999999}" + _escape(m.group(1)) + "{color}")
        elif (m := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", stripped)) is not None:
            out.append(f"h{len(m.group(1))}. {_md_inline(m.group(2))}")
        elif re.fullmatch(r"([-*_])(\s*\1){2,}", stripped):
            out.append("----")
        elif (m := re.match(r"^(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)$", line)) is not None:
            depth = 1 + len(m.group(1).expandtabs(4)) // 2
            out.append(("#" if m.group(2) else "*") * depth + " " + _md_inline(m.group(3)))
        elif stripped.startswith(">"):
            out.append("bq. " + _md_inline(stripped.lstrip("> ")))
        else:
            text = _md_inline(stripped)
            out.append("\\" + text if text[:1] in ("*", "#", "-") else text)
    if in_code:
        out.append("{code}")
    return "\n".join(out).strip("\n")
