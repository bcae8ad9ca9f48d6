"""How a body is read line by line: code fences, sections, label lines, task lists, tokens.

The algorithms behind :class:`~backlint.rules.text.document.Document`, which runs each of
them once per text and keeps the result; rules ask the document (or the wrappers in
:mod:`backlint.rules.text.util`), never these directly. Pure; no I/O, no memo.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlint.rules.text.patterns import lazy

_HEADING = lazy(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_LABEL = lazy(
    r"^\s*(?:\*\*|__)?([A-Za-z][\w /&'-]{1,60}?)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*:?\s*$"
)
_CHECKBOX = lazy(r"^\s*[-*+]\s+\[( |x|X)\]\s*(.*)$")
_FENCE = lazy(r"^\s*(```|~~~)")
WORD = lazy(r"[A-Za-z][A-Za-z'-]*")
#: Lower-case tokens: "and/or", "user-friendly" and "don't" stay whole.
TOKEN = lazy(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")
#: Text past this many characters (in practice: pasted logs and dumps) is not read.
MAX_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a ticket body: a Markdown heading or a line like ``**Expected:**``."""

    title: str
    text: str


def fence_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that open or close a fenced block (```` ``` ```` or ``~~~``)."""
    return [
        index
        for index, line in enumerate(lines)
        if ("```" in line or "~~~" in line) and _FENCE.match(line)  # the cheap look first
    ]


def without_fences(body: str) -> str:
    """``body`` (cut at MAX_CHARS) without its fenced code blocks (logs, traces, code)."""
    body = body[:MAX_CHARS]
    if "```" not in body and "~~~" not in body:
        return body
    lines = body.splitlines()
    out: list[str] = []
    start, fenced = 0, False
    for index in fence_lines(lines):
        if not fenced:
            out += lines[start:index]
        fenced = not fenced
        start = index + 1
    if not fenced:
        out += lines[start:]
    return "\n".join(out)


def fenced_blocks(body: str) -> tuple[str, ...]:
    """The text of each fenced block of ``body`` (cut at MAX_CHARS); one left open runs to
    the end."""
    body = body[:MAX_CHARS]
    if "```" not in body and "~~~" not in body:
        return ()
    lines = body.splitlines()
    marks = fence_lines(lines)
    blocks = ["\n".join(lines[a + 1 : b]) for a, b in zip(marks[::2], marks[1::2], strict=False)]
    if len(marks) % 2 and lines[marks[-1] + 1 :]:
        blocks.append("\n".join(lines[marks[-1] + 1 :]))
    return tuple(blocks)


def split_sections(lines: list[str]) -> tuple[Section, ...]:
    """Sections of code-free ``lines``, split at headings and short ``Label:`` lines."""
    result: list[Section] = []
    title, kept = "", []
    for line in lines:
        heading = _HEADING.match(line) if line.startswith("#") else None
        label = None
        if not heading and len(line) < 70 and line.rstrip().endswith((":", ":**", ":__")):
            label = _BOLD_LABEL.match(line)
        if heading or label:
            if title or any(part.strip() for part in kept):
                result.append(Section(title, "\n".join(kept).strip()))
            title = (heading.group(2) if heading else label.group(1)).strip(" *_:").strip()
            kept = []
        else:
            kept.append(line)
    if title or any(part.strip() for part in kept):
        result.append(Section(title, "\n".join(kept).strip()))
    return tuple(result)


def heading_like(lines: list[str]) -> tuple[str, ...]:
    """Heading-like lines of code-free ``lines``, lower-cased and stripped of ``#``, ``*``,
    ``:``: a heading, a short line ending in a colon, a short line followed by text (a bold
    label that lost its markup), or the ``Label:`` part of a ``Label: text`` line."""
    found = []
    for line in lines:
        stripped = line.strip()
        if not stripped or len(stripped) > 90:
            continue
        head = stripped.lstrip("#").strip(" *_")
        if stripped.startswith("#"):
            found.append(head.rstrip(":").lower())
        elif ":" in head[:60]:
            label = head.split(":", 1)[0].strip(" *_")
            if label and len(label.split()) <= 8:
                found.append(label.lower())
        elif len(head.split()) <= 8 and not head.endswith((".", ",", ";")):
            found.append(head.lower())
    return tuple(found)


def task_items(text: str) -> tuple[tuple[bool, str], ...]:
    """``(checked, text)`` for every task-list item of ``text``."""
    if "[" not in text:
        return ()
    found = []
    for line in text.splitlines():
        match = _CHECKBOX.match(line)
        if match:
            found.append((match.group(1).lower() == "x", match.group(2).strip()))
    return tuple(found)
