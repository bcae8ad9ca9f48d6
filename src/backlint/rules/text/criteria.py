"""Finding a ticket's acceptance criteria. Pure; shared by the BL2xx rules and rule packs.

Criteria are found, in this order, in the configured acceptance-criteria field (Jira), a
criteria section, a Given/When/Then block, or a task checklist (the default conventions in
docs/architecture.md).

A criteria section is a Markdown heading, a bold line (the normalised text keeps the words, not
the markup: Jira ``h3.`` becomes ``###``, ``*Acceptance:*`` and ``**AC**`` become plain lines) or
a ``Label:`` line with the content on the same line or the lines below, named (with or without a
colon) "Acceptance", "Acceptance criteria", "Acceptance tests", "AC", "Definition of done",
"Done when", "Success criteria", "Exit criteria", "Conditions of satisfaction" or "What does
done look like?", or one of the extra names a rule is configured with. A section whose content
is empty or only template filler ("-", "- [ ]", "TBD", "<criteria>") holds no criteria; see
:func:`empty_criteria_section`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.model import Ticket
from backlint.rules.text.document import document
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import checkboxes, memo, strip_code
from backlint.rules.text.util import sections as _sections_of

#: The section names every team uses (regex, matched against the whole title).
_AC_NAMES = (
    r"acceptance(?:\s+(?:criteri\w*|tests?|conditions?|checks?))?",
    r"a\.?\s?c\.?s?|a/c|acs",
    r"definition\s+of\s+(?:done|ready\s+and\s+done)|dod",
    r"(?:success|done|exit|completion|acceptance)\s+criteri\w*",
    r"(?:(?:it'?s|it\s+is|we'?re|we\s+are)\s+)?done\s+when",
    r"conditions?\s+of\s+(?:satisfaction|acceptance)",
    r"(?:what\s+)?done\s+looks\s+like|what\s+does\s+done\s+look\s+like|"
    r"how\s+(?:do|will)\s+we\s+know\s+(?:it'?s|it\s+is|we'?re|we\s+are)\s+done",
)
#: The first words of the names above, and the markup a title line may start with.
_STARTS = (
    *("acceptance", "ac", "a.c", "a c", "a/c", "definition", "dod", "done", "success", "exit"),
    *("completion", "condition", "what", "how", "it's", "it is", "we're", "we are"),
)
_MARKUP = " \t#*_0123456789.)"
_NUMBERED = lazy(r"\d+[.)]\s*")
_LIST_ITEM = lazy(r"^\s*(?:[-*+]|\d+[.)]|#)\s+(?:\[[ xX]\]\s*)?(?P<text>\S.*)$")
GHERKIN = lazy(
    r"^\s*(?:[-*+]|\d+[.)])?\s*[*_]{0,2}(?P<word>scenario(?:\s+outline)?|given|when|then|and|"
    r"but)\b[*_]{0,2}:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
#: Sections that commonly follow the criteria and end them even as a plain line (a bold title
#: that lost its markup).
_NEXT_SECTION = lazy(
    r"^(?:notes?|description|background|context|details|(?:implementation|technical|tech|dev|"
    r"design|testing|test|release|additional)\s+(?:notes?|details|info(?:rmation)?|context)|"
    r"design|mock-?ups?|screenshots?|links?|references?|resources?|dependencies|"
    r"out\s+of\s+scope|non-?goals|open\s+questions|questions|assumptions|risks|tasks|"
    r"sub-?tasks|test\s+plan|how\s+to\s+test|steps\s+to\s+reproduce|related(?:\s+\w+)?|"
    r"see\s+also|comments?|user\s+story|story|problem|motivation|scope)$",
    re.IGNORECASE,
)
#: What a criteria section holds when it is only template filler: bullets, empty boxes,
#: placeholders ("TBD", "N/A", "<criteria>", "[ ... ]", "...").
_FILLER = lazy(
    r"\[[ xX]?\]|<[^>\n]*>|\[[^\]\n]*\]|\{[^}\n]*\}|\b(?:tbd|tbc|todo|n/?a|none|fill\s+in|"
    r"to\s+be\s+(?:added|defined|decided|determined|written|confirmed))\b|[\W_]+",
    re.IGNORECASE,
)


_FILLER_STARTS = frozenset(("tbd", "tbc", "todo", "none", "fill", "to b"))


@dataclass(frozen=True, slots=True)
class Criteria:
    """A ticket's acceptance criteria: the text, its items, and where they were found."""

    text: str
    items: tuple[str, ...]
    source: str


@lru_cache(maxsize=64)
def _title_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    """The section-title pattern: the usual names, and ``extra`` names (plain words)."""
    names = list(_AC_NAMES)
    names += [r"\s+".join(map(re.escape, name.split())) for name in extra if name.strip()]
    # A title may carry a note after the name: "Acceptance criteria (draft)", "AC / DoD".
    return re.compile(rf"^(?:{'|'.join(names)})(?:\s*(?:\(.*\)|[/&|].*|-+))?$", re.IGNORECASE)


def is_criteria_title(title: str, extra_names: tuple[str, ...] = ()) -> bool:
    """True when a section title names acceptance criteria ("Acceptance", "AC:", "Definition of
    done", "Done when", ...; ``extra_names`` are more names), for rules that leave the criteria
    to the BL2xx rules."""
    return bool(_title_pattern(tuple(extra_names)).match(title.strip().strip("#*_ :").strip()))


def _title_of(line: str) -> tuple[str, str] | None:
    """A heading-like line's title and the text after its colon, else None.

    "## Acceptance", "Acceptance criteria:", "AC" (a bold line without its markup),
    "Acceptance: it works" (a label with its content) and "1. Done when" all have a title.
    """
    stripped = line.strip()
    if not stripped:
        return None
    heading = stripped.startswith("#")
    text = stripped.lstrip("#").strip().strip("*_ ")
    numbered = _NUMBERED.match(text)
    if numbered:
        text = text[numbered.end() :]  # a numbered title: "2. Acceptance criteria"
    head, colon, rest = text.partition(":")
    if colon and len(head) <= 45:
        return head.strip().strip("*_ ").rstrip("?").strip(), rest.strip().strip("*_ ")
    if heading or (len(text) <= 60 and (numbered or not _LIST_ITEM.match(line))):
        return text.rstrip("?").strip(), ""
    return None


def _ends_section(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if stripped[0] == "#":
        return True
    if len(stripped) >= 50:
        return False
    if stripped.endswith(":"):
        return not (_LIST_ITEM.match(line) or GHERKIN.match(line))
    if stripped[0] in "-*+" or stripped[0].isdigit():
        return False  # a list item
    return bool(_NEXT_SECTION.match(stripped.strip("*_ ")))


def is_filler(text: str) -> bool:
    """True when ``text`` holds no words but bullets, empty boxes and placeholders."""
    if len(text) > 80:
        return False  # more than a placeholder or two
    if (
        len(text) > 3
        and text[0].isalpha()
        and text[1:4].isalpha()
        and text[:4].lower() not in (_FILLER_STARTS)
    ):
        return False  # starts with a word that is no placeholder
    return not _FILLER.sub("", text).strip()


@lru_cache(maxsize=64)
def _title_starts(extra: tuple[str, ...]) -> tuple[str, ...]:
    """How a line that may carry a criteria title starts (lower case, after its markup)."""
    return _STARTS + tuple(name.split()[0].lower() for name in extra if name.strip())


@memo
def _criteria_sections(body: str, extra: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Every criteria section of the body as (title, content), in order."""
    lines = strip_code(body).splitlines()
    pattern, starts = _title_pattern(extra), _title_starts(extra)
    found = []
    for index, line in enumerate(lines):
        if not line.lstrip(_MARKUP)[:12].lower().startswith(starts):
            continue  # the cheap look: most lines start with no title's first word
        titled = _title_of(line)
        if titled is None or not pattern.match(titled[0]):
            continue
        collected = [titled[1]] if titled[1] else []
        for following in lines[index + 1 :]:
            if _ends_section(following):
                break
            collected.append(following)
        found.append((titled[0], "\n".join(collected).strip()))
    return tuple(found)


def _criteria_block(body: str, extra: tuple[str, ...]) -> str | None:
    for _, text in _criteria_sections(body, extra):
        if not is_filler(text):
            return text
    return None


def empty_criteria_section(body: str, extra: tuple[str, ...] = ()) -> str | None:
    """The title of a criteria section left empty or with only template filler, when the body
    has no criteria section with content; else None."""
    found = _criteria_sections(body, extra)
    if not found or any(not is_filler(text) for _, text in found):
        return None
    return found[0][0]


def _items(text: str) -> tuple[str, ...]:
    listed = [m.group("text").strip() for m in map(_LIST_ITEM.match, text.splitlines()) if m]
    listed = [item for item in listed if len(item) > 40 or not is_filler(item)]
    if listed:
        return tuple(listed)
    thens = [line.strip() for line in text.splitlines() if re.match(r"\s*then\b", line, re.I)]
    if thens:
        return tuple(thens)
    # prose criteria: sentences, with hard-wrapped lines of one paragraph joined
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", text))
    return tuple(
        sentence.strip()
        for paragraph in paragraphs
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z0-9\"'(])", paragraph)
        if len(sentence.split()) >= 2
    )


@memo
def _find_criteria(body: str, field: str, extra: tuple[str, ...]) -> Criteria | None:
    if field.strip() and not is_filler(field):
        return Criteria(field, _items(field), "field")
    block = _criteria_block(body, extra)
    if block:
        return Criteria(block, _items(block), "section")
    read = document(body)
    # a scenario starts with "Given": without the word (in any case) there is none to read
    maybe = not read.code_free.isascii() or "given" in read.code_free_lower
    lines = read.code_free_lines if maybe else []
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


_FORM_SECTION = lazy(
    r"checklist|submission|readiness|prerequisite|before\s+(?:you|submitting|opening)|"
    r"confirm|contribut|terms|code\s+of\s+conduct|pre-?flight",
    re.IGNORECASE,
)
_FORM_ITEM = lazy(
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
            (done, item)
            for done, item in checkboxes(section.text)
            if item and not _FORM_ITEM.match(item)
        ]
    return tuple(found)


def _field(ticket: Ticket) -> str:
    field = ticket.fields.get("acceptance_criteria")
    return field if isinstance(field, str) else ""


def find_criteria(ticket: Ticket, extra_names: tuple[str, ...] | list[str] = ()) -> Criteria | None:
    """The ticket's acceptance criteria wherever they are; None when it has none.

    ``extra_names`` are more section names to read criteria under (a rule's option).
    """
    return _find_criteria(ticket.body, _field(ticket), tuple(extra_names))


def acceptance_text(ticket: Ticket) -> str | None:
    """The ticket's acceptance criteria as text; None when it has none."""
    criteria = find_criteria(ticket)
    return criteria.text if criteria else None
