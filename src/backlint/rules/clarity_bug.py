"""Clarity rules for bug reports (BL112-BL113): can someone else see the bug happen?

Steps are recognised as a "Steps to reproduce" heading or label (any of the common issue-template
spellings), a numbered list, reproduction code, or a "When I <do something>" sentence. Expected
and actual behaviour are recognised as headings or as the usual phrasing ("should", "expected",
"instead", "but it ...", an error).
"""

from __future__ import annotations

import re

from backlint.hookspecs import hookimpl
from backlint.rule import rule
from backlint.rules.textutil import has_label, prose

_STEPS_LABEL = re.compile(
    r"(?:\d+\.\s*)?(?:steps?\b|(?:how\s+)?to\s+reproduce|reproduc|repro\b|str\b|"
    r"(?:code|example|snippet)\s+to\s+reproduce|minimal\s+(?:reproduc|example)|"
    r"standalone\s+code|reproduction)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|#)\s+\S", re.MULTILINE)
_REPRO_WORDS = re.compile(
    r"\b(?:reproduc\w*|repro|replicat\w*|minimal (?:example|code)|sample code|code snippet|"
    r"snippet|test case)\b",
    re.IGNORECASE,
)
_WHEN_I = re.compile(
    r"\b(?:when|after|if|once|whenever)\s+(?:i|we|you|the user|a user|users?|someone)\s+"
    r"(?!\w+\s+(?:expect|think|believe))\w+",
    re.IGNORECASE,
)
_EXPECTED_LABEL = re.compile(
    r"(?:\d+\.\s*)?(?:describe\s+the\s+)?(?:expected|expectation|desired|what\s+should|"
    r"correct\s+behaviou?r|what\s+did\s+you\s+expect)",
    re.IGNORECASE,
)
_ACTUAL_LABEL = re.compile(
    r"(?:\d+\.\s*)?(?:describe\s+the\s+)?(?:actual|current\s+behaviou?r|the\s+current|"
    r"observed|what\s+happen|what\s+actually|result)",
    re.IGNORECASE,
)
_EXPECTED_TEXT = re.compile(
    r"\b(?:expect\w*|should(?:n't)?|supposed\s+to|instead\s+of|would\s+like|intended|"
    r"ought\s+to|used\s+to|desired|correct(?:ly)?|must(?:n't)?|needs?\s+to)\b",
    re.IGNORECASE,
)
_ACTUAL_TEXT = re.compile(
    r"\b(?:actual(?:ly)?|current(?:ly)?|observed|instead|but|however|error|errors|exception|"
    r"crash\w*|fail\w*|throws?|thrown|returns?|returned|shows?|showing|displays?|hangs?|"
    r"freez\w*|breaks?|broken|doesn'?t|does\s+not|don'?t|isn'?t|is\s+not|won'?t|can'?t|"
    r"cannot|unable|nothing|wrong|incorrect\w*|missing|lost|stuck|empty|blank|timeout|"
    r"times\s+out|leaks?|slow|no\s+longer|never|stops?|stopped|ignored?|ignores|gets?)\b",
    re.IGNORECASE,
)


def has_steps(body: str) -> bool:
    """True when a bug body shows how to make the bug happen."""
    if has_label(body, _STEPS_LABEL):
        return True
    if len(_NUMBERED.findall(body)) >= 2:
        return True
    if "```" in body and _REPRO_WORDS.search(body):
        return True
    return bool(_WHEN_I.search(prose(body)))


@rule(
    "BL112",
    "bug-missing-steps",
    family="clarity",
    severity="warning",
    kinds=("bug",),
)
def bug_missing_steps(ticket, ctx):
    """What: A bug report has no steps to reproduce: no "Steps to reproduce" section, no
    numbered steps, no reproduction code and no "When I ..." description of what triggers it.

    Why: A bug nobody can reproduce cannot be fixed with confidence or verified as fixed; the
    first hour on it goes to asking the reporter what they did.

    Example: "checkout is broken sometimes on staging, pls fix".

    Fix: Add numbered steps from a fresh start ("1. Add any item to the cart 2. Apply promo code
    WELCOME10 3. Switch to Express shipping"), with the environment and version.
    """
    if ticket.is_open and not has_steps(ticket.body):
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
)
def bug_missing_expected_actual(ticket, ctx):
    """What: A bug report does not say what should have happened (expected behaviour) or what
    happened instead (actual behaviour).

    Why: "Expected" is what turns an observation into a bug: without it the reader cannot tell a
    defect from a misunderstanding. "Actual" is what the fix is checked against.

    Example: "checkout is broken sometimes on staging, pls fix" (no expected behaviour).

    Fix: Add two short sections, "Expected" ("The promo code stays applied") and "Actual" ("The
    promo code field is cleared and the total goes back to full price").
    """
    if not ticket.is_open:
        return
    body = ticket.body
    text = prose(body)
    expected = has_label(body, _EXPECTED_LABEL) or _EXPECTED_TEXT.search(text)
    actual = (
        has_label(body, _ACTUAL_LABEL)
        or _ACTUAL_TEXT.search(text)
        or _ACTUAL_TEXT.search(ticket.title)
        or "```" in body
    )
    missing = [name for name, found in (("expected", expected), ("actual", actual)) if not found]
    if missing:
        what = " and ".join(missing)
        yield (
            f"This bug report does not say the {what} behaviour; add "
            + " and ".join(f'"{m.capitalize()}: ..."' for m in missing)
            + " so the fix can be checked against it."
        )


@hookimpl
def register_rules(register):
    """Register the bug-report rules BL112-BL113."""
    register(bug_missing_steps)
    register(bug_missing_expected_actual)
