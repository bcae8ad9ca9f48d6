"""backlint's normalised text: the one plain form every markup converter renders to.

The normalised form is "plain Markdown-like" text that is the same whatever the source
format (ADF, Jira wiki, Markdown): ``## Heading`` lines with a blank line around them,
``- item`` / ``1. item`` list lines indented two spaces per level, ``- [ ]`` / ``- [x]``
checkboxes, ``` fenced code, inline code in backticks, table rows as ``a | b``, quote
lines prefixed with ``> `` and links as ``text (url)``. The converters render lines;
:func:`tidy_lines` joins them and :func:`link_text` renders a link.
"""

from __future__ import annotations

import re

__all__ = ["HEADING_LINE", "LIST_LINE", "link_text", "tidy_lines"]

#: A normalised heading line, and a normalised list line (any indent).
HEADING_LINE = re.compile(r"^#{1,6} ")
LIST_LINE = re.compile(r"^\s*(?:- |\d+\. )")
_FENCE_LINE = re.compile(r"^\s*```", re.MULTILINE)


def link_text(text: str, url: str) -> str:
    """Render a link as its text, adding ``(url)`` only when the text differs from the URL."""
    text, url = text.strip(), url.strip()
    if not url or text == url:
        return text or url
    if not text:
        return url
    return f"{text} ({url})"


def tidy_lines(lines: list[str]) -> str:
    """Join rendered lines into normalised text.

    Strips trailing whitespace, puts one blank line around headings and lists, collapses
    runs of blank lines (never inside ``` fences) and trims leading/trailing blank lines.
    An item may hold several lines; one that is a whole fenced block (```` ``` ```` first
    and last, no fence between) is taken in one piece, which is only faster.
    """
    out: list[str] = []
    in_fence = False
    prev_kind = last_kind = list_family = ""
    heading, list_line = HEADING_LINE.match, LIST_LINE.match
    for raw in lines:
        if not raw and not in_fence:  # a blank line (the commonest item)
            if out and out[-1] != "":
                out.append("")
            last_kind, prev_kind = prev_kind or last_kind, ""
            continue
        if not in_fence and raw[:3] == "```" and (fenced := _whole_fence(raw)) is not None:
            if prev_kind and out and out[-1] != "":
                out.append("")
            out += fenced
            prev_kind = "fence"
            continue
        for line in raw.split("\n") if "\n" in raw else (raw,):
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
            first = line[0]  # the cheap tests first: most lines are plain text
            if "```" in line and line.lstrip().startswith("```"):
                kind = "fence"
                in_fence = True
            elif (first == "#" and heading(line)) or line == "---":
                kind = "heading"
            elif ((first == "-" or first.isdigit() or first.isspace()) and list_line(line)) or (
                prev_kind == "list" and line.startswith("  ")
            ):
                kind = "list"
            else:
                kind = "text"
            if kind == "list":
                family = "1" if line[:1].isdigit() else line[:1]
                if family != " ":
                    if family != list_family:
                        last_kind = ""
                    list_family = family
                if last_kind == "list" and not prev_kind and out[-1] == "":
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


def _whole_fence(raw: str) -> list[str] | None:
    """``raw`` as tidied lines when it is one whole fenced block, else None."""
    first, last = raw.find("\n"), raw.rfind("\n")
    if first < 0 or not raw[last + 1 :].lstrip().startswith("```"):
        return None
    body = raw[first + 1 : last] if last > first else ""
    if "```" in body and _FENCE_LINE.search(body):
        return None  # a fence inside: the line-by-line path decides
    body = "\n".join([line.rstrip() for line in body.split("\n")]).strip("\n")
    opening, closing = raw[:first].rstrip(), raw[last + 1 :].rstrip()
    return [opening, body, closing] if body else [opening, closing]
