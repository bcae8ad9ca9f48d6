"""Clarity rules for bug reports (BL112-BL113): can someone else see the bug happen?

What counts as steps is in :mod:`backlint.rules.clarity.repro`. Expected and actual behaviour
are recognised as headings or as the usual phrasing ("should", "expected", "instead", "but it
...", an error).
"""

from __future__ import annotations

import re

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.clarity.body import (
    author_text,
    content_words,
    delegated,
    is_form,
    own_words,
)
from backlint.rules.clarity.repro import (
    admits_no_repro,
    has_steps,
    is_change_request,
    title_names_trigger,
)
from backlint.rules.clarity.titles import is_generic_title
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose
from backlint.rules.text.util import MAX_CHARS, has_label, sections, words

_EXPECTED_LABEL = lazy(
    r"(?:\d+\.\s*)?(?:describe\s+the\s+)?(?:expected|expectation|desired|what\s+should|"
    r"correct\s+behaviou?r|what\s+did\s+you\s+expect)",
    re.IGNORECASE,
)
_ACTUAL_LABEL = lazy(
    r"(?:\d+\.\s*)?(?:describe\s+the\s+)?(?:actual|current\s+behaviou?r|the\s+current|"
    r"observed|what\s+happen|what\s+actually|result)",
    re.IGNORECASE,
)
_EXPECTED_TEXT = Folded(
    r"\b(?:expect\w*|should(?:n't)?|supposed\s+to|instead\s+of|would\s+like|intended|"
    r"ought\s+to|used\s+to|desired|correct(?:ly)?|must(?:n't)?|needs?\s+to)\b",
)
_ACTUAL_TEXT = lazy(
    r"\b(?:actual(?:ly)?|current(?:ly)?|observed|instead|but|however|error|errors|exception|"
    r"crash\w*|fail\w*|throws?|thrown|returns?|returned|shows?|showing|displays?|hangs?|"
    r"freez\w*|breaks?|broken|doesn'?t|does\s+not|don'?t|isn'?t|is\s+not|won'?t|can'?t|"
    r"cannot|unable|nothing|wrong|incorrect\w*|missing|lost|stuck|empty|blank|timeout|"
    r"times\s+out|leaks?|slow|no\s+longer|never|stops?|stopped|ignored?|ignores|gets?)\b",
    re.IGNORECASE,
)


_OBVIOUS_FAILURE = Folded(
    r"\b(?:crash\w*|exception|error|errors|traceback|segfault|segmentation fault|fail\w*|"
    r"hangs?|hung|freez\w*|frozen|deadlock\w*|timeouts?|times? out|timed out|leaks?|leaking|"
    r"overflows?|unresponsive|not responding|panics?|abort\w*|oom\w*|50[0-9]|assert\w*|"
    r"warning|warnings|npe|nullpointer\w*|undefined|nan|infinite loop|intermittent\w*|flaky|"
    # a statement of what does not happen implies what should: "X doesn't persist"
    r"doesn'?t|does not|don'?t|do not|can'?t|cannot|can not|isn'?t|is not|aren'?t|are not|"
    r"won'?t|will not|wasn'?t|no longer|missing|wrong|incorrect\w*|ignor\w*|unable|"
    r"regress\w*|lost|loses|instead)\b",
)


@rule(
    "BL112",
    "bug-missing-steps",
    family="clarity",
    severity="warning",
    kinds=("bug",),
)
def bug_missing_steps(ticket, ctx):
    """What: A bug report gives no way to reproduce it: no "Steps to reproduce" section that
    says something (an empty section, or one that repeats the title, does not count), no
    numbered steps, no code or command, no sandbox, failing CI job or attached input files,
    no instruction ("Open the cart and ..."), and nothing in the title or text that names the
    trigger ("when I ...", "Running appc exits", "I tried setting ...", "Cannot select
    contexts in IDEA", "Job undeploy throws ..."). A stack trace alone is not a reproduction:
    it says where it broke, not how to get there. A reporter who says they could not
    reproduce it is asked for steps whatever the title says, unless the body holds code or a
    sandbox. Not checked: change requests and docs fixes filed as bugs ("Add ...", "typo in
    docs"), fixes that close an issue ("fixes #12"), upstream issues being tracked, and
    code-level reports that name the faulty file, line or identifier ("It uses
    `tasks_filter`, but should use `remove_filter`").

    Why: A bug nobody can reproduce cannot be fixed with confidence or verified as fixed; the
    first hour on it goes to asking the reporter what they did.

    Example: "checkout is broken sometimes on staging, pls fix".

    Fix: Add numbered steps from a fresh start ("1. Add any item to the cart 2. Apply promo code
    WELCOME10 3. Switch to Express shipping"), with the environment and version.
    """
    if not ticket.is_open or is_change_request(ticket.title) or delegated(ticket.body):
        return  # a change request filed as a bug, a fix ("fixes #12"), an upstream issue
    said = title_names_trigger(ticket.title) and not admits_no_repro(ticket.body)
    if not said and not has_steps(ticket.body, ticket.title):
        yield (
            "This bug report has no steps to reproduce; add numbered steps from a fresh start, "
            "with the environment and version."
        )


@rule(
    "BL113",
    "bug-missing-expected-actual",
    family="clarity",
    severity="warning",
    kinds=("bug",),
    options={"min_words": 30},
)
def bug_missing_expected_actual(ticket, ctx):
    """What: A bug report does not say what should have happened (expected behaviour) nor
    describe what happens instead (actual behaviour) in enough words to tell.

    Why: "Expected" is what turns an observation into a bug: without it the reader cannot tell
    a defect from a misunderstanding. "Actual" is what the fix is checked against.

    Example: "checkout is broken sometimes on staging, pls fix": broken how, and what should
    it do?

    Fix: Add two short sections, "Expected" ("The promo code stays applied") and "Actual" ("The
    promo code field is cleared and the total goes back to full price").

    Options: A report passes when it has an "Expected" or "Actual" section that says something
    in words, or says what should happen ("should", "expected", "instead of"), when its title,
    text or log names a failure that implies the expected behaviour (a crash, an error or
    exception by name, "X doesn't Y", "missing", "wrong"), or when it describes the problem in
    a title of four or more specific words or in at least `min_words` words of the author's
    own prose ("Terminal action icons overlap" says both). It is flagged when a form's
    "Current behavior" answer is empty or only a screenshot, or when every answer of a form
    repeats a title that reports nothing ("how to use X with Y"). Template text, checklists
    and unanswered fields ("No response") are not the author's words. "Broken" or "pls fix"
    alone says neither.
    """
    if not ticket.is_open:
        return
    body, title = ticket.body, ticket.title
    # a crash, an error or "X doesn't work" implies "it should work"; cheapest first
    if _EXPECTED_TEXT.search(title) or _OBVIOUS_FAILURE.search(title) or _ERROR_NAME.search(title):
        return
    form = is_form(body)
    text = author_text(body) if form else prose(body)  # a form's labels are not the author's
    if _EXPECTED_TEXT.search(text) or _OBVIOUS_FAILURE.search(text):
        return
    actual = _filled(body, _ACTUAL_LABEL)
    if actual or _filled(body, _EXPECTED_LABEL) or _ERROR_NAME.search(body[:MAX_CHARS]):
        return  # "AttributeError: ..." in a log: what happens is plain
    title_says_little = len(words(title)) <= 3 or is_generic_title(title) or _QUESTION.match(title)
    if (
        actual is False  # the form asked what happens; the answer is empty or a screenshot
        # every answer of the form repeats a title that reports nothing
        or (title_says_little and form and not own_words(title, body, 0))
        or (title_says_little and len(words(text)) < ctx.options["min_words"])
    ):
        yield (
            "This bug report does not say what should happen nor what happens instead; add "
            '"Expected: ..." and "Actual: ..." so the fix can be checked against them.'
        )


#: An error or exception by name, or a sanitizer / test-runner failure line.
_ERROR_NAME = lazy(
    r"(?:Error|Exception|Fault)\b|\b(?:ERROR|FAIL(?:ED|URE)?|panic(?:ked)?|Traceback|SEGV|"
    r"Assertion)\b"
)


#: A title that asks rather than reports: "how using X with Y", "Why does ...?".
_QUESTION = lazy(r"^\W*(?:how|what|why|where|which|is|are|can|could|does|do)\b|\?\s*$", re.I)


def _filled(body: str, label: re.Pattern[str]) -> bool | None:
    """Whether a section the label names says something in words (a screenshot alone or
    "No response" does not); None when the body has no such section."""
    if not has_label(body, label):
        return None
    found = [part for part in sections(body) if part.title and label.match(part.title.lower())]
    if not found:
        return True  # "Actual: the total is 0" on one line
    return any(len(content_words(part.text, 1)) >= 2 or "```" in part.text for part in found)


@hookimpl
def register_rules(register):
    """Register the bug-report rules BL112-BL113."""
    register(bug_missing_steps)
    register(bug_missing_expected_actual)
