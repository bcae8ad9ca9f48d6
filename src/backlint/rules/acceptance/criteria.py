"""Acceptance-criteria rules (BL201-BL205): can anyone tell when the ticket is done?

Criteria are found, in this order, in the configured acceptance-criteria field (Jira), a
section named "Acceptance", "Acceptance criteria", "AC", "Definition of done", "Done when",
"Success criteria" or the like (or a configured name), a Given/When/Then block, or a task
checklist (the default conventions in docs/architecture.md); see
:mod:`backlint.rules.text.criteria`. Without criteria, BL201
still accepts a request that says plainly when it is done (:mod:`backlint.rules.text.done`).
"""

from __future__ import annotations

import re

from backlint.engine.rule import Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rules.clarity.stories import STORY_LABELS
from backlint.rules.text.criteria import (
    acceptance_text,
    empty_criteria_section,
    find_criteria,
    task_checklist,
)
from backlint.rules.text.done import done_signal
from backlint.rules.text.forms import reported_as_bug
from backlint.rules.text.patterns import lazy
from backlint.rules.text.story import is_story
from backlint.rules.text.util import checkboxes, find_terms, plural, word_list

__all__ = ["acceptance_text", "find_criteria"]  # where callers have always found them


def _wants_criteria(ticket: Ticket, options) -> bool:
    return ticket.kind in options["kinds"] or is_story(ticket, options["story_labels"])


@rule(
    "BL201",
    "missing-acceptance-criteria",
    family="acceptance-criteria",
    severity="error",
    options={"kinds": ["story", "feature"], "story_labels": STORY_LABELS, "section_names": []},
)
def missing_acceptance_criteria(ticket, ctx):
    """What: A story or feature says nowhere how anyone would know it is done: no acceptance
    criteria (a section named "Acceptance", "Acceptance criteria", "AC", "Definition of done",
    "Done when", "Success criteria" or the like, as a heading, a bold line or a "Label:" line;
    Given/When/Then scenarios; a task checklist; the configured Jira criteria field), and no
    other statement of the wanted result: no list of required behaviours, no code example of
    the proposed API, no example of the wanted output, no filled "Expected behaviour" or
    "Describe the solution" answer, no sentence that states plainly what should happen. A
    criteria section left empty (only "-", "- [ ]", "TBD") is flagged. A want stated only in
    vague, hedged or open-ended words ("should be seamless", "we might consider ...",
    "investigate"), or only in the user-story sentence, does not say when it is done.
    Reports whose own form or title says they are bugs are skipped, whatever their label.

    Why: Without criteria nobody can say when the work is done; estimates, reviews and testing
    all guess. It is the single most common reason a story bounces back in sprint review.

    Example: A story "As a shopper I want to save my card so that I check out faster" with no
    list of conditions that prove it works; a feature request "This should be seamless for
    screen-reader users".

    Fix: Add an "## Acceptance criteria" section with observable outcomes, e.g. "- [ ] A saved
    card appears pre-selected on the payment step", or Given/When/Then scenarios.

    Comments: on a story, in the comment (its author writes the criteria); on a feature or epic,
    a `needs-acceptance-criteria` label and a report row (the criteria of a request are agreed
    when the maintainers plan it).

    Options: `kinds` are the kinds that need criteria; `story_labels` make any ticket a story;
    `section_names` are more section titles that hold criteria (e.g. ["Verification"]);
    BL202, BL204 and BL205 have the same option, set it on each rule that should read them.
    """
    if not ticket.is_open or not _wants_criteria(ticket, ctx.options):
        return
    names = tuple(ctx.options["section_names"])
    if find_criteria(ticket, names) is not None:
        return
    empty = empty_criteria_section(ticket.body, names)
    if empty:
        yield (
            f'The "{empty}" section of this {ticket.kind} is empty; list the checkable '
            "outcomes that make it done."
        )
    elif not reported_as_bug(ticket.title, ticket.body) and not done_signal(
        ticket.title, ticket.body
    ):
        # A story's author writes its criteria; a feature request's are agreed when the
        # maintainers plan it, so there the gap is a label and a report row, not a comment.
        yield Violation(
            f"This {ticket.kind} does not say when it is done: no acceptance criteria, and no "
            'list, example or plain statement of the wanted result; add an "Acceptance '
            'criteria" section with checkable outcomes (or Given/When/Then scenarios).',
            audience=None if ticket.kind == "story" else "maintainer",
        )


UNTESTABLE_WORDS = word_list(
    "work well|works well|working well|performs well|work properly|works properly|properly|"
    "fast|fast enough|quick|quickly|easy|easily|user-friendly|user friendly|intuitive|nice|"
    "good|better|happy|satisfied|pleasant|smooth|smoothly|seamless|seamlessly|appropriate|"
    "appropriately|reasonable|acceptable|as expected|as needed|etc.|tbd|and/or|"
    "if possible|looks good|look good|looks nice|clean|robust|efficient|optimal|enough|"
    "improved|better performance|works fine|no issues|no problems|bug-free|want to know|"
    "be aware|is aware|are aware|discoverable|feel|feels",
    "|",
)
#: What a criterion starts from is not what it checks: "with appropriate arguments" is a
#: precondition, not an outcome.
_PRECONDITION = lazy(
    r"\b(?:with|given|using|passing|provided|for)\s+(?:the\s+|an?\s+|any\s+)?(?:appropriate|proper|"
    r"suitable|reasonable|acceptable|good)\s+\w+",
    re.IGNORECASE,
)


@rule(
    "BL202",
    "untestable-criteria",
    family="acceptance-criteria",
    severity="warning",
    options={"untestable_words": UNTESTABLE_WORDS, "section_names": []},
)
def untestable_criteria(ticket, ctx):
    """What: Acceptance criteria that cannot be tested as written: they use words with no
    observable pass/fail ("works well", "fast enough", "user-friendly", "users are happy",
    "I want to know ..."). Criteria are read wherever BL201 finds them. A word in a
    precondition ("Calling it with appropriate arguments returns ...") is not what the
    criterion checks and is not counted.

    Why: A criterion is a test the ticket must pass. If two people can disagree on whether it
    passed, it is an opinion, and the story will be argued about at review.

    Example: "- [ ] Page should work well", "- [ ] Fast enough on mobile".

    Fix: State what someone can observe or measure: "- [ ] The payment step renders in under
    1.5 s on a Moto G4 over 4G (Lighthouse)".

    Options: `untestable_words` are the words and phrases that make a criterion untestable;
    `section_names` are more section titles that hold criteria (as for BL201).
    """
    criteria = (
        find_criteria(ticket, tuple(ctx.options["section_names"])) if ticket.is_open else None
    )
    if criteria is None:
        return
    bad = []
    for item in criteria.items:
        found = find_terms(item, ctx.options["untestable_words"])
        if found and _PRECONDITION.search(item):
            found = find_terms(_PRECONDITION.sub(" ", item), ctx.options["untestable_words"])
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


@rule(
    "BL204",
    "too-many-criteria",
    family="acceptance-criteria",
    severity="info",
    options={"max_criteria": 10, "section_names": []},
)
def too_many_criteria(ticket, ctx):
    """What: A ticket has more than `max_criteria` acceptance criteria.

    Why: A long list of criteria usually means several stories in one: it will not fit in a
    sprint, cannot be released in parts, and review takes as long as the work.

    Example: "Checkout accessibility pass" with 14 criteria covering forms, focus, contrast,
    screen readers and zoom.

    Fix: Split the ticket along the criteria (e.g. one story per checkout step or per
    assistive technology) and link the parts to one epic.

    Options: `max_criteria` is the most criteria one ticket should carry; `section_names` are
    more section titles that hold criteria (as for BL201).
    """
    names = tuple(ctx.options["section_names"])
    criteria = find_criteria(ticket, names) if ticket.is_open else None
    if criteria and len(criteria.items) > ctx.options["max_criteria"]:
        yield (
            f"This ticket has {len(criteria.items)} acceptance criteria (more than "
            f"{ctx.options['max_criteria']}); consider splitting it into smaller tickets."
        )


_NOT_DONE = lazy(
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
    options={"min_boxes": 2, "section_names": []},
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

    Options: `min_boxes` is the fewest checkboxes a checklist needs before it is judged;
    `section_names` are more section titles that hold criteria (as for BL201).
    """
    criteria = find_criteria(ticket, tuple(ctx.options["section_names"]))
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
    """Register the acceptance-criteria rules BL201, BL202, BL204 and BL205 (BL203 is in
    :mod:`backlint.rules.acceptance.gherkin`)."""
    for item in (
        missing_acceptance_criteria,
        untestable_criteria,
        too_many_criteria,
        criteria_state_mismatch,
    ):
        register(item)
