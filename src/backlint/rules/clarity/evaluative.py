"""Evaluative words in the part of a sentence that states the want, for BL104. Pure.

"I want to quickly find ...", "a reliable way to ...", "relevant results", "explore more
sophisticated models": the thing asked for hinges on a gradable, evaluative word (quick,
reliable, relevant, sophisticated, ...) and nothing says how much is enough: no number, no
baseline to compare with ("faster than the nightly job"), no example ("such as ...").
:func:`evaluative_asks` finds such words in the want of a sentence (after "I want", "should",
"must", "needs to", or an instruction), never in the reason, a problem statement, speculation,
a quote or a name (those are taken out by :func:`backlint.rules.clarity.vague.asked` first).
"""

from __future__ import annotations

import re

from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import without_criteria_body, word_list

#: Gradable evaluative adjectives: qualities that each reader measures differently.
EVALUATIVE_ADJECTIVES = word_list(
    "quick rapid swift speedy fast easy effortless intuitive convenient "
    "hassle-free reliable robust resilient scalable efficient effective performant responsive "
    "relevant sophisticated advanced powerful accessible flexible seamless smooth "
    "streamlined comprehensive meaningful insightful actionable valuable useful helpful "
    "informative engaging appealing attractive "
    "user-friendly understandable interpretable transparent trustworthy "
    "innovative cutting-edge high-quality optimal timely"
)
#: Soft words that judge a thing only when they stand before it ("useful information"); said of
#: a thing ("the error messages are useful") they are a remark in passing.
_ATTRIBUTIVE_ONLY = frozenset(
    word_list("useful helpful valuable meaningful informative insightful engaging appealing")
)
#: Their adverbs: "quickly find", "filter efficiently".
EVALUATIVE_ADVERBS = word_list(
    "quickly rapidly swiftly speedily easily effortlessly intuitively conveniently reliably "
    "robustly efficiently effectively seamlessly smoothly promptly readily "
    "accessibly flexibly"
)
#: Adjectives that read "easy to <verb>": the "to" does not give a measure.
_TOUGH = frozenset(word_list("quick fast easy effortless intuitive convenient"))
#: Every word of the lexicon, with the comparative forms "faster", "easier", "quicker".
WORDS = frozenset(
    (*EVALUATIVE_ADJECTIVES, *EVALUATIVE_ADVERBS, "faster", "quicker", "easier", "fastest")
)

_WORD = "|".join(sorted((re.escape(w) for w in WORDS), key=len, reverse=True))
#: An evaluative word, with the degree word before it ("more sophisticated", "highly").
_EVALUATIVE = lazy(
    rf"(?<![\w-])(?P<degree>(?:more|very|highly|really|truly|extremely|super|fully)\s+)?"
    rf"(?P<word>{_WORD})(?![\w-])",
    re.IGNORECASE,
)
#: Where the want begins: "I want (to)", "should (be)", "must", "needs to", "would like".
_WANT = lazy(
    r"\b(?:want(?:s|ed)?|would\s+like|'d\s+like|wish|need(?:s)?|(?<!\bthis\s)(?<!\bthat\s)(?<!\bit\s)(?<!\bwhich\s)(?:should|must)(?!\s+have\b)|shall|"
    r"ha(?:s|ve)\s+to|require[sd]?)\b",
    re.IGNORECASE,
)
#: Where the want ends: a reason or a consequence that :func:`asked` did not take out.
_WANT_ENDS = lazy(
    r",\s*(?:\w+ing|thus|thereby|because|since|as|while|where|when|without|and\s+(?:so|thus))\b|"
    r"\b(?:because|since|thereby|thus|hence|while|whereas)\b|\bas\s+(?:i|we|they|it|you)\b|"
    r"\bfor\s+(?:better|improved|enhanced|increased|greater|higher|more|faster|easier)\b",
    re.IGNORECASE,
)
#: What measures the quality, so that it is no longer vague: a number, a baseline, an example.
_MEASURED = lazy(
    r"\d|\bthan\b|\bas\s+\w+\s+as\b|\b(?:such\s+as|e\.\s?g\b|i\.\s?e\b|for\s+(?:example|"
    r"instance)|like|including|namely|within|under|below|at\s+(?:least|most)|no\s+(?:more|"
    r"later)|per|(?:that|which|who)\s+(?:can|will|handles?|supports?|allows?)|defined|measured|according|compliant|one|two|three|four|five|ten)\b|[:(]",
    re.IGNORECASE,
)
#: A noun after an adjective: what follows it is a word, not the end of a clause.
_NOUN_NEXT = lazy(r"^\s+(?!(?:and|or|to|for|of|in|on|at|by|with|as|than|but)\b)[a-z]", re.I)
#: "a tag that can be added to a test to quickly prevent it": a purpose, not the want.
_PURPOSE_TO = lazy(r"\S.*\bto\s+$", re.I | re.S)
#: The reading of a word that points at known things, not a quality: "the relevant docs",
#: "where appropriate", "consistent with", "accessible from the menu".
_POINTING = lazy(
    r"\b(?:the|this|that|these|those|all|any|each|every|where|if|when|as|its|their|our|latest|current)\s+$",
    re.I,
)
_COMPLEMENT = lazy(r"^\s+(?:to|with|from|via|through|by|on|in|across|against)\b", re.I)
#: "can easily exist", "it's effectively a parameter": a possibility or a remark, not a manner.
_NOT_MANNER = lazy(r"\b(?:can|could|may|might|will|would|is|'s|are|be)\s+$", re.I)
#: "a useful feature", "a quick change": the word judges the ticket, not a quality asked for.
_GENERIC_NEXT = lazy(r"^\s+(?:feature|features|change|changes|improvement|addition|fix)\b", re.I)
#: "should be used to be efficient": the purpose of a step, not the want.
_STEP_PURPOSE = lazy(r"\b(?:\w+ed|used|done|made|order|as)\s+to\s+(?:be\s+)?(?:\w+\s+)?$", re.I)
#: A body that spells the want out (a list, code, acceptance criteria): a vague word in its
#: summary sentence leaves nothing open.
_SPELLED_OUT = lazy(r"^\s*(?:[-*+]\s|\d+[.)]\s|```|~~~|given\b)", re.I | re.M)


def spelled_out(body: str) -> bool:
    """True when the body spells out what is wanted in a list, code or Given/When/Then, or
    has an acceptance-criteria section."""
    return len(_SPELLED_OUT.findall(body)) >= 2 or without_criteria_body(body) != body


#: "it would be useful to ...": the judgement of the ask itself, not a quality asked for.
_JUDGES_ASK = lazy(
    r"\b(?:it|this|that)\s+(?:would|will|is|'s|could|might)\s+(?:be\s+)?(?:\w+\s+)?$", re.I
)


def want_part(unit: str) -> str:
    """The part of an asked sentence after its first want word, up to a reason ("I want to
    quickly find ..., allowing me to ..."), or "" when it states no want."""
    match = _WANT.search(unit)
    if not match:
        return ""
    rest = unit[match.end() :]
    end = _WANT_ENDS.search(rest)
    return rest[: end.start()] if end else rest


def evaluative_asks(want: str) -> list[str]:
    """The evaluative words of ``want`` that nothing measures, lower-cased, in text order."""
    found: list[str] = []
    for match in _EVALUATIVE.finditer(want):
        word = match.group("word").lower()
        before, after = want[: match.start()], want[match.end() :]
        if (
            _MEASURED.search(after[:80])
            or _JUDGES_ASK.search(before)
            or _STEP_PURPOSE.search(before)
        ):
            continue
        if (
            word.endswith("ly")
            and _PURPOSE_TO.match(before.strip(" ,") + " ")
            and not (re.search(r"\b(?:able|want|need|like|wish)\s+to\s+$", before, re.I))
        ):
            continue
        if word.endswith("ly") and _NOT_MANNER.search(before):
            continue
        if _GENERIC_NEXT.match(after) or (
            word in _ATTRIBUTIVE_ONLY and not _NOUN_NEXT.match(after)
        ):
            continue
        if not word.endswith("ly") and not match.group("degree"):
            if _POINTING.search(before):
                continue
            if _COMPLEMENT.match(after) and not (word in _TOUGH and after.lstrip()[:3] == "to "):
                continue
        phrase = match.group(0).lower()
        if phrase not in found:
            found.append(phrase)
    return found
