"""The vocabulary of vague requirements and what part of a sentence asks, for BL104. Pure.

Vague words and phrases, hedges and weak words; the sentences of a body that state what is wanted
(:func:`requirement_sentences`), and the part of one that asks (:func:`asked`): reasons, side
remarks, quotes, names, problem statements, questions and speculation are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.rules.clarity.stories import ACTION_VERBS
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose, sentences
from backlint.rules.text.util import find_terms, memo, without_criteria_body, word_list

#: Words that are vague wherever they appear in what is asked: one is enough.
VAGUE_WORDS = word_list(
    "tbd|tbc|to be determined|to be decided|user-friendly|user friendly|easy to use|intuitive|"
    "seamless|seamlessly|state of the art|state-of-the-art|best-in-class|some kind of|"
    "some sort of|as soon as possible|discoverable|dependable|swiftly|elevate|enrich",
    "|",
)
#: Phrases that leave what is asked open: a manner with no measure ("in a simple way",
#: "quick and discoverable access", "an effective way to filter"), an unnamed amount of
#: something ("some support"), a choice not made ("logical, or possibly alphabetical"), a
#: goal that is only a better experience ("improve the overall listening experience").
_VAGUE_ADJ = (
    r"(?:simple|simpler|easy|easier|quick|quicker|fast|faster|efficient|effective|better|nice|"
    r"good|clean|smart|proper|fair|seamless|intuitive|smooth|consistent|reasonable|"
    r"user-friendly|convenient|flexible)"
)
_NOT_THIS = r"(?<!\bthe\s)(?<!\bthis\s)(?<!\bthat\s)"  # "this easier way" is a known one
_COMPARATIVE = (
    r"(?:more\s+(?:complicated|complex|robust|reliable|stable|efficient|readable|useful|"
    r"flexible|intuitive|responsive|scalable|secure|performant|engaging|enriching)|larger|"
    r"bigger|faster|better|cleaner|simpler|easier|smoother|richer)"
)
VAGUE_PHRASES = (
    rf"\bin\s+an?\s+{_VAGUE_ADJ}\s+(?:way|manner|fashion)\b",
    r"\bin\s+an?\s+(?:way|manner|fashion)\s+that\s+would\b",
    rf"{_NOT_THIS}\b{_VAGUE_ADJ}(?:\s+and\s+(?!dirty\b)\w+)?\s+(?:way|access|means|method|manner)\b",
    # two comparatives with nothing to compare with, or "make it / be more flexible"
    rf"{_NOT_THIS}\b{_COMPARATIVE},?\s+(?:and\s+)?{_COMPARATIVE}\b(?!\s+than)",
    rf"\b(?:make|be|become)\s+(?:\w+\s+){{0,2}}?{_COMPARATIVE}\b(?!\s+than)",
    r"\bsome\s+(?:support|way|kind|form|mechanism|handling|solution)\b",
    r"\bor\s+(?:possibly|maybe|perhaps)\b",
    r"\b(?:improve|enhance|elevate|enrich|better)\w*\s+(?:the\s+|our\s+|their\s+)?"
    r"(?:overall\s+)?(?:\w+\s+){0,2}experience\b",
    # optimising an outcome with no target: "optimize fuel consumption", "optimize the design"
    r"(?<![-.\w])optimi[sz]\w*\s+(?:the\s+|our\s+|their\s+|its\s+)?(?:\w+\s+){0,2}"
    r"(?:consumption|performance|costs?|experience|efficiency|usage|process(?:es)?|workflows?|"
    r"operations?|resources?|results?|design|outcomes?|routes?|scheduling|allocation|"
    r"utili[sz]ation|strateg(?:y|ies)|output|productivity|throughput)\b",
)
_COMPARATIVE_WORDS = frozenset(
    word_list(
        "complicated complex robust reliable stable efficient readable useful flexible "
        "intuitive responsive scalable secure performant engaging enriching larger bigger faster "
        "better cleaner simpler easier smoother richer"
    )
)
_OPTIMIZE = frozenset(
    word_list("optimize optimise optimized optimised optimizing optimising optimizes optimises")
)
#: For each default phrase, the word sets a text must hold (one word of each) for the phrase
#: to be there: a phrase is looked for only where it can be (one cheap test per phrase).
_ANCHORS: tuple[tuple[frozenset[str], ...], ...] = (
    (frozenset(("way", "manner", "fashion")),),
    (frozenset(("way", "manner", "fashion")), frozenset(("would",))),
    (frozenset(("way", "access", "means", "method", "manner")),),
    (_COMPARATIVE_WORDS,),
    (_COMPARATIVE_WORDS, frozenset(("make", "be", "become"))),
    (
        frozenset(("some",)),
        frozenset(("support", "way", "kind", "form", "mechanism", "handling", "solution")),
    ),
    (frozenset(("possibly", "maybe", "perhaps")), frozenset(("or",))),
    (frozenset(("experience",)),),
    (_OPTIMIZE,),
)
#: A word of any default phrase: a text without one holds no phrase.
PHRASE_ANCHORS = tuple(sorted(frozenset().union(*(sets[0] for sets in _ANCHORS))))
#: Every anchor word (first and further sets), looked up in one pass over the text's words.
_ANCHOR_WORDS = tuple(sorted(frozenset().union(*(s for sets in _ANCHORS for s in sets))))
#: Hedges and open lists: harmless alone ("Visa, Mastercard, etc." in a precise ticket), vague
#: when a sentence piles them up.
HEDGE_WORDS = word_list(
    "etc.|and/or|as appropriate|as needed|as required|if possible|where possible|if needed|"
    "if necessary|and so on|and so forth|or something",
    "|",
)
WEAK_WORDS = word_list(
    "fast faster quick quickly easy easily simple better efficient efficiently robust "
    "flexible nice good some several many few various appropriate appropriately properly "
    "optimal optimized sufficient adequate reasonable significant significantly enough"
)
#: "e.g. counters, gauges, etc.": an "etc." closing examples does not leave the scope open.
EXAMPLES = lazy(
    r"\b(?:e\.\s?g\b|i\.\s?e\b|for\s+example|for\s+instance|such\s+as|like|including)", re.I
)


#: What is not a requirement inside a requirement sentence: a purpose clause ("so that ...",
#: a leading "To enable ..., "), a quoted mention ("'state of the art' testing"), a proper
#: noun ("our Seamless project").
_NOT_ASKED = lazy(
    r"\b(?:so\s+that|in\s+order\s+to|so\s+(?:i|we|they|users?)\s+can)\b[^\n]*|"
    # a reason or a side remark: "That way, it'll be easier ...", ", which provides easy ..."
    r"\bthat\s+way\b[^\n]*|,\s*which\s[^\n]*|\b(?:resulting|results?)\s+in\b[^\n]*|"
    # a problem, not an ask: "Toggle not discoverable", "isn't intuitive"
    r"\b(?:not|isn't|aren't|never)\s+(?:very\s+|so\s+|really\s+|quite\s+)?[\w-]+|"
    # a purpose after the ask: "... to make the class more flexible", "... to enable X"
    r"(?<!want\s)(?<!need\s)(?<!like\s)(?<!wish\s)(?<!able\s)(?<!have\s)(?<!has\s)"
    r"\bto\s+(?:make|allow|enable|ensure|help|provide|give|let|keep|avoid|prevent)\b[^\n]*|"
    r"^\W*to\s+\w+\b[^,\n]{0,80}?(?:,|(?=\b(?:i|we)\b))|"
    r"(?<!\w)['\"‘“][^'\"’”\n]{1,40}['\"’”](?!\w)|"
    r"(?-i:(?<=[a-z,] )[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)",
    re.IGNORECASE,
)
#: Speculation and discussion ("could be considered", "I am wondering"): not a requirement.
_SPECULATION = lazy(
    r"\b(?:could|might|may|maybe|perhaps|wondering|i\s+(?:think|believe|guess|feel)|"
    r"(?<!\bthat\s)would(?!\s+(?:like|love|prefer|be\s+(?:nice|great|good|useful|helpful))))\b",
    re.IGNORECASE,
)


#: What :data:`_SPECULATION` needs: a sentence without any of these is not speculation.
_SPECULATION_HINTS = ("could", "might", "may", "perhaps", "wondering", "i ", "would")
_CLAUSE_HINT = lazy(r"\s[-–—]\s|;\s|\.\.\.\s")
#: Where a sentence splits into clauses that each stand alone: "We should add X - maybe Y".
_CLAUSE_BREAK = lazy(r"\s[-–—]\s|;\s|\.\.\.\s")
#: "state-of-the-art methods": a reference class to compare with, not a quality asked for.
_REFERENCE_CLASS = lazy(
    r"\bstate[- ]of[- ]the[- ]art\s+(?:methods?|models?|approach(?:es)?|techniques?|"
    r"algorithms?|solutions?|baselines?|systems?|results?)\b",
    re.IGNORECASE,
)


def asked(unit: str) -> str:
    """The part of a requirement sentence that says what is asked (see :data:`_NOT_ASKED`):
    clauses of speculation and questions are dropped, the rest keeps its ask."""
    low = unit.lower()
    if any(hint in low for hint in _SPECULATION_HINTS) or "?" in low:
        parts = _CLAUSE_BREAK.split(unit) if _CLAUSE_HINT.search(unit) else [unit]
        unit = " ".join(c for c in parts if not ("?" in c or _SPECULATION.search(c)))
    unit = _NOT_ASKED.sub(" ~ ", unit)
    return _REFERENCE_CLASS.sub(" ", unit) if "art" in low else unit


#: A sentence that asks for something: a modal, a wish, or an instruction.
ASKS = lazy(
    rf"\b(?:should|must|shall|needs?|has\s+to|have\s+to|want|wants|would\s+like|would\s+be|"
    rf"require[sd]?)\b|^\W*(?:{'|'.join(word_list(ACTION_VERBS))}|optimi[sz]e)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[Folded, ...]:
    return tuple(Folded(p) for p in patterns)


def find_phrases(text: str, patterns: tuple[str, ...] = VAGUE_PHRASES) -> list[str]:
    """The vague phrases in ``text``, lower-cased, in text order.

    For the default phrases each is looked for only when the text holds its anchor words
    (:data:`_ANCHORS`); configured phrases are all looked for.
    """
    compiled = _compiled(patterns)
    if patterns == VAGUE_PHRASES:
        words = frozenset(find_terms(text, _ANCHOR_WORDS))
        if not words:
            return []
        compiled = tuple(
            pattern
            for pattern, sets in zip(compiled, _ANCHORS, strict=True)
            if all(not words.isdisjoint(anchor) for anchor in sets)
        )
    hits = [(m.start(), m.group(0).lower()) for pattern in compiled for m in pattern.finditer(text)]
    # (a folded pattern's match in ASCII text is already lower case; .lower() keeps it)
    return [phrase for _, phrase in sorted(hits)]


def vague_phrase(body: str) -> bool:
    """True when the body's prose holds one of the default :data:`VAGUE_PHRASES`."""
    return bool(find_phrases(prose(body)))


#: Issue-template prompts addressed to the reporter ("please provide ... if possible").
_PROMPT = Folded(
    r"\bplease\s+(?:provide|include|describe|add|attach|share)\b|\bi\s+checked\b",
)
#: What makes a sentence a requirement rather than background or a report of what happened.
_REQUIREMENT = Folded(
    r"\b(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|want|wants|would\s+like|"
    r"required?|requirements?|expected\s+to|as\s+an?\b|so\s+that)\b",
)


_IMPERATIVE_START = Folded(rf"^\W*(?:{'|'.join(word_list(ACTION_VERBS))})\b")
_DECISION_PENDING = Folded(r"\b(?:tbd|tbc|to be (?:determined|decided|defined))\b")


@memo
def requirement_sentences(body: str) -> tuple[str, ...]:
    """The sentences of the body that state what is wanted: the opening sentence, sentences
    with should / must / I want / so that, instructions ("Add ...", "Make ..."), and any
    sentence with TBD; never acceptance criteria or template prompts."""
    found = sentences(without_criteria_body(body))
    kept = [
        sentence
        for index, sentence in enumerate(found)
        if (index == 0 or _REQUIREMENT.search(sentence) or _IMPERATIVE_START.match(sentence))
        and not _PROMPT.search(sentence)
    ]
    kept += [s for s in found if _DECISION_PENDING.search(s)]  # "TBD" is never background
    return tuple(dict.fromkeys(kept))


def requirement_text(body: str) -> str:
    """:func:`requirement_sentences` as one string, a sentence per line."""
    return "\n".join(requirement_sentences(body))
