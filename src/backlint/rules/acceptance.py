"""Acceptance-criteria rules (BL201-BL205): can anyone tell when the ticket is done?

Criteria are found, in this order, in the configured acceptance-criteria field (Jira), a section
headed "Acceptance criteria" / "AC" / "Definition of done" / "Success criteria", a
Given/When/Then block, or a task checklist (DESIGN section 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rule import rule
from backlint.rules.clarity_story import STORY_LABELS
from backlint.rules.story import is_story
from backlint.rules.textutil import checkboxes, find_terms, memo, plural, strip_code, word_list
from backlint.rules.textutil import sections as _sections_of

_AC_TITLE = re.compile(
    r"^(?:acceptance\s*(?:criteri\w*|tests?)|a\.?c\.?s?|definition\s+of\s+done|dod|"
    r"success\s+criteri\w*|done\s+when|exit\s+criteri\w*|done\s+criteri\w*)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#)\s+(?:\[[ xX]\]\s*)?(?P<text>\S.*)$")
_GHERKIN = re.compile(
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
                and not _GHERKIN.match(following)
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
        match = _GHERKIN.match(line)
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


def _wants_criteria(ticket: Ticket, options) -> bool:
    return ticket.kind in options["kinds"] or is_story(ticket, options["story_labels"])


@rule(
    "BL201",
    "missing-acceptance-criteria",
    family="acceptance-criteria",
    severity="error",
    options={"kinds": ["story", "feature"], "story_labels": STORY_LABELS},
)
def missing_acceptance_criteria(ticket, ctx):
    """What: A story or feature has no acceptance criteria: no section headed "Acceptance
    criteria", "AC", "Definition of done" or "Success criteria", no Given/When/Then scenario,
    no task checklist, and nothing in the configured Jira acceptance-criteria field.

    Why: Without criteria nobody can say when the work is done; estimates, reviews and testing
    all guess. It is the single most common reason a story bounces back in sprint review.

    Example: A story "As a shopper I want to save my card so that I check out faster" with no
    list of conditions that prove it works.

    Fix: Add an "## Acceptance criteria" section with observable outcomes, e.g. "- [ ] A saved
    card appears pre-selected on the payment step", or Given/When/Then scenarios.

    Options: `kinds` are the kinds that need criteria; `story_labels` make any ticket a story.
    """
    if ticket.is_open and _wants_criteria(ticket, ctx.options) and find_criteria(ticket) is None:
        yield (
            f'This {ticket.kind} has no acceptance criteria; add an "Acceptance criteria" '
            "section with checkable outcomes (or Given/When/Then scenarios)."
        )


UNTESTABLE_WORDS = word_list(
    "work well|works well|working well|performs well|work properly|works properly|properly|"
    "fast|fast enough|quick|quickly|easy|easily|user-friendly|user friendly|intuitive|nice|"
    "good|better|happy|satisfied|pleasant|smooth|smoothly|seamless|seamlessly|appropriate|"
    "appropriately|reasonable|acceptable|as expected|as needed|etc.|tbd|and/or|"
    "if possible|looks good|look good|looks nice|clean|robust|efficient|optimal|enough|"
    "improved|better performance|works fine|no issues|no problems|bug-free",
    "|",
)


@rule(
    "BL202",
    "untestable-criteria",
    family="acceptance-criteria",
    severity="warning",
    options={"untestable_words": UNTESTABLE_WORDS},
)
def untestable_criteria(ticket, ctx):
    """What: Acceptance criteria that cannot be tested as written: they use words with no
    observable pass/fail ("works well", "fast enough", "user-friendly", "users are happy").

    Why: A criterion is a test the ticket must pass. If two people can disagree on whether it
    passed, it is an opinion, and the story will be argued about at review.

    Example: "- [ ] Page should work well", "- [ ] Fast enough on mobile".

    Fix: State what someone can observe or measure: "- [ ] The payment step renders in under
    1.5 s on a Moto G4 over 4G (Lighthouse)".

    Options: `untestable_words` are the words and phrases that make a criterion untestable.
    """
    criteria = find_criteria(ticket) if ticket.is_open else None
    if criteria is None:
        return
    bad = []
    for item in criteria.items:
        found = find_terms(item, ctx.options["untestable_words"])
        if found:
            short = item if len(item) <= 60 else item[:57] + "..."
            bad.append(f'{short}" ({", ".join(found)})')
    if bad:
        listed = "; ".join('"' + entry for entry in bad[:3])
        more = f"; and {len(bad) - 3} more" if len(bad) > 3 else ""
        yield (
            f"{len(bad)} of {plural(len(criteria.items), 'criterion', 'criteria')} cannot be "
            f"tested as written: {listed}{more}. Say what someone can observe or measure."
        )


@rule("BL203", "malformed-gherkin", family="acceptance-criteria", severity="warning")
def malformed_gherkin(ticket, ctx):
    """What: A Given/When/Then scenario is incomplete: a Given and a When with no Then, or a
    Then under a "Scenario:" with no Given or When. Steps must be consecutive lines: a
    narrative "Given the fact that ...", "When ..." or "Then I ..." is prose, and so is a
    line that runs on into another sentence; job stories ("When I ..., I want ...") are not
    steps.

    Why: The Then is the part that is checked; a scenario without it describes a situation and
    an action but not the result, so it cannot pass or fail.

    Example: "Given I have €10.00 of store credit / When I reach the payment step" and nothing
    after it.

    Fix: Finish each scenario with "Then <what the user sees or the system does>", e.g. "Then
    €10.00 is deducted from the total".
    """
    if not ticket.is_open:
        return
    field = ticket.fields.get("acceptance_criteria")
    text = strip_code(ticket.body) + "\n" + (field if isinstance(field, str) else "")
    if not re.search(r"^\W{0,4}(?:given|scenario)\b", text, re.IGNORECASE | re.MULTILINE):
        return  # no scenario at all: a narrative "Then I found ..." is not a step
    yield from _scenario_problems(text)


_JOB_LINE = re.compile(r",\s*(?:i|we)\s+(?:want|need|would like)\b", re.IGNORECASE)
#: A step is one clause; a line that goes on into another sentence ("Given this sample; A
#: component ... . Both are ...") is a paragraph of prose that happens to start with "Given".
_NARRATIVE = re.compile(r"[.;!?]\s+[A-Z]|^(?:\S+\s+){40}")


def _scenario_problems(text: str) -> list[str]:
    """Problems of the scenarios in ``text``: runs of consecutive Given/When/Then/And lines.

    A run that starts with Given and has a When is a scenario; without a Then it is
    unfinished. A Then right under a "Scenario:" line with no Given or When is orphaned. A
    lone "Given the fact that ..." sentence is prose, not a scenario.
    """
    runs: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        match = _GHERKIN.match(line)
        word = match.group("word").lower() if match else ""
        if (
            not match
            or (word == "when" and _JOB_LINE.search(match.group("rest")))
            or _NARRATIVE.search(match.group("rest"))
        ):
            if line.strip() or (current and set(current) - {"scenario"}):
                current = None  # prose or a blank line after steps ends a run
            continue
        if (
            word.startswith("scenario")
            or current is None
            or (word == "given" and "then" in current)
        ):
            current = {"scenario": "1"} if word.startswith("scenario") else {}
            runs.append(current)
        rest = match.group("rest").strip()
        if word in ("given", "when", "then"):
            current.setdefault(word, rest)
            for inner in ("when", "then"):
                if re.search(rf"\b{inner}\b", rest, re.IGNORECASE):
                    current.setdefault(inner, rest)
    problems = []
    for steps in runs:
        if "given" in steps and "when" in steps and "then" not in steps:
            problems.append(
                f'A scenario has Given and When but no Then ("When {steps["when"][:50]}"); '
                "finish it with the result someone can check."
            )
        elif "then" in steps and "scenario" in steps and not ("given" in steps or "when" in steps):
            problems.append(
                f'A Then ("Then {steps["then"][:50]}") has no Given or When before it; say the '
                "situation and the action that lead to it."
            )
    return problems


@rule(
    "BL204",
    "too-many-criteria",
    family="acceptance-criteria",
    severity="info",
    options={"max_criteria": 10},
)
def too_many_criteria(ticket, ctx):
    """What: A ticket has more than `max_criteria` acceptance criteria.

    Why: A long list of criteria usually means several stories in one: it will not fit in a
    sprint, cannot be released in parts, and review takes as long as the work.

    Example: "Checkout accessibility pass" with 14 criteria covering forms, focus, contrast,
    screen readers and zoom.

    Fix: Split the ticket along the criteria (e.g. one story per checkout step or per
    assistive technology) and link the parts to one epic.

    Options: `max_criteria` is the most criteria one ticket should carry.
    """
    criteria = find_criteria(ticket) if ticket.is_open else None
    if criteria and len(criteria.items) > ctx.options["max_criteria"]:
        yield (
            f"This ticket has {len(criteria.items)} acceptance criteria (more than "
            f"{ctx.options['max_criteria']}); consider splitting it into smaller tickets."
        )


_NOT_DONE = re.compile(
    r"won'?t|wont|cancel|reject|duplicate|invalid|not.planned|obsolete|"
    r"declined|abandon|cannot reproduce|incomplete",
    re.IGNORECASE,
)


def closed_as_not_done(ticket: Ticket) -> bool:
    """True when a done ticket was closed without doing it (won't fix, duplicate, not planned)."""
    raw_fields = ticket.raw.get("fields")
    resolution = raw_fields.get("resolution") if isinstance(raw_fields, dict) else None
    name = resolution.get("name", "") if isinstance(resolution, dict) else ""
    reason = str(ticket.raw.get("state_reason") or "")
    return bool(_NOT_DONE.search(" ".join((ticket.status, name, reason))))


@rule(
    "BL205",
    "criteria-state-mismatch",
    family="acceptance-criteria",
    severity="warning",
    options={"min_boxes": 2},
)
def criteria_state_mismatch(ticket, ctx):
    """What: The acceptance-criteria checkboxes disagree with the status: every box is ticked
    but the ticket is still open, or the ticket is done but no box is ticked.

    Why: Either the board or the checklist is wrong. A finished ticket left open inflates work
    in progress; a closed ticket with nothing ticked may have shipped without its criteria.

    Example: An open story whose five criteria are all "- [x]"; a closed story whose four are
    all "- [ ]".

    Fix: Close (or move on) the ticket whose criteria are all met; for a closed one, tick what
    was delivered, or reopen it. Tickets closed as won't do, duplicate or not planned are
    skipped.

    Options: `min_boxes` is the fewest checkboxes a checklist needs before it is judged.
    """
    criteria = find_criteria(ticket)
    boxes = (checkboxes(criteria.text) if criteria else []) or list(task_checklist(ticket.body))
    if len(boxes) < ctx.options["min_boxes"]:
        return
    ticked = sum(1 for done, _ in boxes if done)
    if ticket.is_open and ticked == len(boxes):
        yield (
            f"All {len(boxes)} acceptance criteria are ticked but the ticket is still "
            f"{ticket.status or 'open'}; close it, or add what is left."
        )
    elif not ticket.is_open and ticked == 0 and not closed_as_not_done(ticket):
        yield (
            f"The ticket is {ticket.status or 'done'} but none of its {len(boxes)} criteria is "
            "ticked; tick what was delivered, or reopen it."
        )


@hookimpl
def register_rules(register):
    """Register the acceptance-criteria rules BL201-BL205."""
    for item in (
        missing_acceptance_criteria,
        untestable_criteria,
        malformed_gherkin,
        too_many_criteria,
        criteria_state_mismatch,
    ):
        register(item)
