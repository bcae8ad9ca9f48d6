"""Claims of impact and figures in a ticket's prose. Pure; used by the objective-link rules.

A claim of impact promises to move an outcome a business or its users weigh: "increase
adoption", "reduce support load", "conversion improves", "a big win"; on an epic also speed,
quality or experience ("checkout gets faster"). A figure is a number, a share, a frequency or
an amount ("300 a month", "half of the orders", "weekly").

The outcome nouns are found first (a literal search, fast on text without them); only around
them is a verb of change looked for.
"""

from __future__ import annotations

from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import MAX_CHARS, memo

QUANTITY = Folded(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|dozens?|hundreds?|"
    r"thousands?|millions?|half|double|twice|all|every|most|majority|daily|weekly|monthly|"
    r"per\s+(?:day|week|month|year|order|user))\b",
)
#: Outcomes a business or its users weigh: claiming to move one is claiming impact.
_BUSINESS = lazy(
    r"(?:adoption|engagement|conversions?|retention|revenue|sales|churn|sign-?ups?|onboarding|"
    r"satisfaction|nps|support\s+(?:load|tickets?|requests?|calls?|costs?|volume|burden)|"
    r"tickets|costs?|spend|productivity|time[\s-]to[\s-][a-z]+|usage|traffic|growth|"
    r"market\s+share|customer\s+base|user\s+base|abandonment|drop[\s-]?offs?|loyalty|"
    r"trust|margins?|profits?|profitability|bookings|orders|upsells?|activation)\b"
)
#: Epics and initiatives also claim impact with these.
_EPIC = lazy(r"(?:performance|efficiency|speed|latency|reliability|quality|experience)\b")
_CHANGE = (
    r"(?:increas|rais|boost|grow|driv|improv|reduc|lower|cut|decreas|minimi[sz]|maximi[sz]|"
    r"lift|drop|shrink|halv|doubl|accelerat|speed)[a-z]*"
)
_CHANGE_BEFORE = lazy(rf"\b{_CHANGE}(?:\s+up)?\s+(?:[\w-]+\s+){{0,3}}$")
_CHANGE_AFTER = lazy(
    rf"\s+(?:will\s+|would\s+|should\s+|to\s+)?(?:{_CHANGE}|goes?\s+(?:up|down))\b"
)
_PHRASES = lazy(
    r"(?:huge|big|major|significant|massive|large)\s+(?:impact|win|gain|improvement)\b|"
    r"business\s+(?:value|impact|case)\b|(?:more|fewer|less)\s+(?:customers|users|churn|"
    r"support|revenue|sales|sign-?ups|tickets|complaints)\b"
)
_EPIC_PHRASES = lazy(
    r"(?:more|less)\s+often\b|(?:come|coming)\s+back\b|(?:faster|quicker|cheaper|easier)\b"
)


def _word_start(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalnum()


@memo
def impact_claim(text: str, epic: bool = False) -> str | None:
    """The words with which ``text`` claims business or user impact (on an ``epic`` also
    speed, quality or experience), else None."""
    lowered = text[:MAX_CHARS].lower()
    nouns = (_BUSINESS, _EPIC) if epic else (_BUSINESS,)
    for pattern in nouns:
        for found in pattern.finditer(lowered):
            start, end = found.span()
            if not _word_start(lowered, start):
                continue
            before = _CHANGE_BEFORE.search(lowered, max(0, start - 60), start)
            if before:
                return lowered[before.start() : end]
            after = _CHANGE_AFTER.match(lowered, end)
            if after:
                return lowered[start : after.end()]
    for pattern in (_PHRASES, _EPIC_PHRASES) if epic else (_PHRASES,):
        for found in pattern.finditer(lowered):
            if _word_start(lowered, found.start()):
                return found.group(0)
    return None
