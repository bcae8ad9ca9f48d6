"""Pure text helpers the rules share: sections, checklists, words. No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?([A-Za-z][\w /&'-]{1,60}?)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*:?\s*$"
)
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[( |x|X)\]\s*(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a ticket body: a Markdown heading or a line like ``**Expected:**``."""

    title: str
    text: str


def strip_code(body: str) -> str:
    """The body without fenced code blocks (logs, stack traces, code)."""
    out, fenced = [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return "\n".join(out)


def sections(body: str) -> list[Section]:
    """Split a body into sections at headings and at short label lines ending in a colon."""
    result: list[Section] = []
    title, lines = "", []
    for line in strip_code(body).splitlines():
        heading = _HEADING.match(line)
        label = None
        if not heading and line.strip().endswith((":", ":**", ":__")) and len(line) < 70:
            label = _BOLD_LABEL.match(line)
        if heading or label:
            if title or any(part.strip() for part in lines):
                result.append(Section(title, "\n".join(lines).strip()))
            title = (heading.group(2) if heading else label.group(1)).strip(" *_:").strip()
            lines = []
        else:
            lines.append(line)
    if title or any(part.strip() for part in lines):
        result.append(Section(title, "\n".join(lines).strip()))
    return result


def find_section(body: str, *patterns: str) -> Section | None:
    """The first section whose title matches one of the regex ``patterns`` (case-insensitive)."""
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    for section in sections(body):
        if section.title and any(p.search(section.title) for p in compiled):
            return section
    return None


def checkboxes(text: str) -> list[tuple[bool, str]]:
    """``(checked, text)`` for every task-list item."""
    found = []
    for line in text.splitlines():
        match = _CHECKBOX.match(line)
        if match:
            found.append((match.group(1).lower() == "x", match.group(2).strip()))
    return found


def words(text: str) -> list[str]:
    return WORD.findall(text)
