"""Finding a ticket's acceptance criteria. Pure; shared by the BL2xx rules and rule packs.

Criteria are found, in this order, in the configured acceptance-criteria field (Jira), a section
headed "Acceptance criteria" / "AC" / "Definition of done" / "Success criteria", a
Given/When/Then block, or a task checklist (DESIGN section 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlint.model import Ticket
from backlint.rules.text.util import checkboxes, memo, strip_code
from backlint.rules.text.util import sections as _sections_of

_AC_TITLE = re.compile(
    r"^(?:acceptance\s*(?:criteri\w*|tests?)|a\.?c\.?s?|definition\s+of\s+done|dod|"
    r"success\s+criteri\w*|done\s+when|exit\s+criteri\w*|done\s+criteri\w*)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#)\s+(?:\[[ xX]\]\s*)?(?P<text>\S.*)$")
GHERKIN = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*[*_]{0,2}(?P<word>scenario(?:\s+outline)?|given|when|then|and|"
    r"but)\b[*_]{0,2}:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Criteria:
    """A ticket's acceptance criteria: the text, its items, and where they were found."""

    text: str
    items: tuple[str, ...]
    source: str


def _heading_text(line: str) -> str | None:
    """The title of a heading-like line ("## AC", "**Acceptance criteria:**"), else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60 or _LIST_ITEM.match(line):
        return None
    text = stripped.lstrip("#").strip().strip("*_ ").rstrip(":").strip("*_ ")
    if stripped.startswith("#") or stripped.endswith(":") or len(text.split()) <= 4:
        return text
    return None


#: Where a criteria heading or label could start a line (a cheap look before the line loop).
_AC_START = re.compile(
    r"^[\s#*_]*(?:acceptance|a\.?c|definition|dod|success|done|exit)", re.IGNORECASE | re.MULTILINE
)
_ODD_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _criteria_block(body: str) -> str | None:
    code_free = strip_code(body)
    if not _AC_START.search(code_free) and _ODD_BREAKS.isdisjoint(code_free):
        return None  # no line can start with a criteria title
    lines = code_free.splitlines()
    for index, line in enumerate(lines):
        title = _heading_text(line)
        inline = None
        if title is None and ":" in line[:40]:
            label, _, inline = line.partition(":")
            title = label.strip().strip("*_# ")
        if title is None or not _AC_TITLE.match(title):
            continue
        collected = [inline.strip()] if inline and inline.strip() else []
        for following in lines[index + 1 :]:
            if following.strip().startswith("#") or (
                following.strip().endswith(":")
                and not _LIST_ITEM.match(following)
                and len(following) < 50
                and not GHERKIN.match(following)
            ):
                break
            collected.append(following)
        text = "\n".join(collected).strip()
        if text:
            return text
    return None


def _items(text: str) -> tuple[str, ...]:
    listed = [m.group("text").strip() for m in map(_LIST_ITEM.match, text.splitlines()) if m]
    if listed:
        return tuple(listed)
    thens = [line.strip() for line in text.splitlines() if re.match(r"\s*then\b", line, re.I)]
    if thens:
        return tuple(thens)
    return tuple(p.strip() for p in re.split(r"(?<=[.;])\s+|\n+", text) if len(p.split()) >= 2)


@memo
def _find_criteria(body: str, field: str) -> Criteria | None:
    if field.strip():
        return Criteria(field, _items(field), "field")
    block = _criteria_block(body)
    if block:
        return Criteria(block, _items(block), "section")
    code_free = strip_code(body)
    lines = code_free.splitlines()
    for index, line in enumerate(lines):
        match = GHERKIN.match(line)
        if match and match.group("word").lower() == "given":
            rest = "\n".join(lines[index:])
            if re.search(r"^\s*\W{0,3}\s*then\b|\bthen\b", rest, re.I | re.M):
                return Criteria(rest, _items(rest), "gherkin")
    boxes = task_checklist(body)
    if len(boxes) >= 2:
        text = "\n".join(f"- [{'x' if done else ' '}] {item}" for done, item in boxes)
        return Criteria(text, tuple(item for _, item in boxes), "checklist")
    return None


_FORM_SECTION = re.compile(
    r"checklist|submission|readiness|prerequisite|before\s+(?:you|submitting|opening)|"
    r"confirm|contribut|terms|code\s+of\s+conduct|pre-?flight",
    re.IGNORECASE,
)
_FORM_ITEM = re.compile(
    r"^(?:i|i'\w+|we|my|there\s+is|this\s+(?:is|pr|change|issue)|to\s+the\s+best|"
    r"the\s+pr|pr\b|tests?\s+(?:pass|added)|docs?\s+updated)\b",
    re.IGNORECASE,
)


@memo
def task_checklist(body: str) -> tuple[tuple[bool, str], ...]:
    """The body's task checklist, without issue-template forms ("- [x] I searched existing
    issues", a "Pull Request Readiness Checklist"): those are about the report, not the work."""
    found = []
    for section in _sections_of(body):
        if section.title and _FORM_SECTION.search(section.title):
            continue
        found += [
            (done, item) for done, item in checkboxes(section.text) if not _FORM_ITEM.match(item)
        ]
    return tuple(found)


def find_criteria(ticket: Ticket) -> Criteria | None:
    """The ticket's acceptance criteria wherever they are; None when it has none."""
    field = ticket.fields.get("acceptance_criteria")
    return _find_criteria(ticket.body, field if isinstance(field, str) else "")


def acceptance_text(ticket: Ticket) -> str | None:
    """The ticket's acceptance criteria as text; None when it has none."""
    criteria = find_criteria(ticket)
    return criteria.text if criteria else None
