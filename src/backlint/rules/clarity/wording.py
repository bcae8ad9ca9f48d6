"""Clarity rules BL104-BL105: is the wording precise and readable?

Vague words in what the ticket asks for, and prose too long-winded to follow. Closed tickets are
not judged: nobody will rewrite them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.clarity.stories import ACTION_VERBS
from backlint.rules.text.prose import (
    body_reading_ease,
    longest_sentence,
    prose,
    run_on,
    sentences,
)
from backlint.rules.text.util import (
    find_terms,
    lower_set,
    memo,
    quote,
    without_criteria_body,
    word_list,
)

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
_EXAMPLES = re.compile(
    r"\b(?:e\.\s?g\b|i\.\s?e\b|for\s+example|for\s+instance|such\s+as|like|including)", re.I
)


#: What is not a requirement inside a requirement sentence: a purpose clause ("so that ...",
#: a leading "To enable ..., "), a quoted mention ("'state of the art' testing"), a proper
#: noun ("our Seamless project").
_NOT_ASKED = re.compile(
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
_SPECULATION = re.compile(
    r"\b(?:could|might|may|maybe|perhaps|wondering|i\s+(?:think|believe|guess|feel)|"
    r"(?<!\bthat\s)would(?!\s+(?:like|love|prefer|be\s+(?:nice|great|good|useful|helpful))))\b",
    re.IGNORECASE,
)


#: Where a sentence splits into clauses that each stand alone: "We should add X - maybe Y".
_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|;\s|\.\.\.\s")
#: "state-of-the-art methods": a reference class to compare with, not a quality asked for.
_REFERENCE_CLASS = re.compile(
    r"\bstate[- ]of[- ]the[- ]art\s+(?:methods?|models?|approach(?:es)?|techniques?|"
    r"algorithms?|solutions?|baselines?|systems?|results?)\b",
    re.IGNORECASE,
)


def _asked(unit: str) -> str:
    """The part of a requirement sentence that says what is asked (see :data:`_NOT_ASKED`):
    clauses of speculation and questions are dropped, the rest keeps its ask."""
    clauses = [
        c for c in _CLAUSE_BREAK.split(unit) if not (_SPECULATION.search(c) or "?" in c)
    ]
    return _REFERENCE_CLASS.sub(" ", _NOT_ASKED.sub(" ", " ".join(clauses)))


@rule(
    "BL104",
    "vague-language",
    family="clarity",
    severity="warning",
    kinds=("story", "feature", "epic", "initiative", "task"),
    options={
        "vague_words": list(VAGUE_WORDS),
        "hedge_words": list(HEDGE_WORDS),
        "weak_words": list(WEAK_WORDS),
        "vague_phrases": list(VAGUE_PHRASES),
        "min_hedges": 2,
        "min_weak": 4,
    },
)
def vague_language(ticket, ctx):
    """What: The title, or a sentence of the description that states what is wanted (the
    opening sentence, "should", "must", "I want", "so that", "Add ..."), hinges on vague
    words: a placeholder for a decision ("TBD", "logical, or possibly alphabetical"), an
    unmeasurable quality ("user-friendly", "seamless", "discoverable"), a manner with no
    measure ("in a simple way", "an effective way to filter", "quick and discoverable
    access"), a goal with no target ("optimize fuel consumption", "improve the overall
    experience", "make rescans faster", "larger, more complicated queries"), an unnamed amount
    ("some support", "some kind of hint"), or one sentence piles up hedges and weak words
    ("fast, easy and robust, with several options and/or defaults, etc."). Background,
    problem statements ("the toggle is not discoverable") and reports of what happened are
    not judged.

    Why: Vague words hide decisions nobody has made. Each reader fills them in differently, and
    the difference shows up in review, in testing, or in production.

    Example: "The checkout should be fast and user-friendly, and handle several payment methods
    and/or gift cards, etc."

    Fix: Replace each word with what is meant: a number ("under 2 s on 4G"), a list ("Visa,
    Mastercard and PayPal"), or a decision ("gift cards are out of scope").

    Options: one of `vague_words` is enough, and so is one of `vague_phrases` (regular
    expressions) in a sentence that asks (a modal, "I want", an instruction) or in the
    title. `hedge_words` ("etc.", "and/or", "if possible")
    and `weak_words` ("fast", "some", "good") are common in precise tickets too, so they count
    only when one sentence (or the title) has `min_hedges` different hedges, or `min_weak`
    different hedges and weak words together; an "etc." closing examples ("e.g. counters,
    gauges, etc.") is not a hedge. Only what is asked counts: the reason ("so that ...",
    a leading "To enable ..., ", a trailing "... to make it more flexible", "resulting in"),
    side remarks (", which ..."), quoted words, names ("our Seamless project"), a reference
    class ("state-of-the-art methods"), a negated quality ("not discoverable": a problem),
    questions and speculation ("could", "might", "I think", "I am wondering") are left out.
    Bugs are not checked (their wording describes what happened); acceptance criteria are
    checked by BL202; issue-template prompts ("please provide ... if possible") are skipped.
    """
    if not ticket.is_open:
        return
    options = ctx.options
    strong = lower_set(tuple(options["vague_words"]))
    hedges = lower_set(tuple(options["hedge_words"]))
    every = (*options["vague_words"], *options["hedge_words"], *options["weak_words"])
    least = min(options["min_hedges"], options["min_weak"])
    phrases = _phrases(tuple(options["vague_phrases"]))
    # Cheap first look: the whole text holds every word the requirement sentences can hold.
    text = ticket.title + "\n" + prose(ticket.body)
    found = find_terms(text, every)
    if not (strong.intersection(found) or len(found) >= least or phrases.search(text)):
        return
    units = [_asked(unit) for unit in (ticket.title, *requirement_sentences(ticket.body))]
    asked = "\n".join(units)
    found = find_terms(asked, every)
    said = [
        m.group(0).lower()
        for index, unit in enumerate(units)
        if index == 0 or _ASKS.search(unit)
        for m in phrases.finditer(unit)
    ]
    if said:
        found = [*dict.fromkeys(said), *(term for term in found if term in strong)]
    elif not strong.intersection(found):
        piled: list[str] = []
        for unit in units:
            terms = find_terms(unit, every)
            if "etc." in terms and _EXAMPLES.search(unit):
                terms.remove("etc.")
            n_hedges = sum(1 for term in terms if term in hedges)
            if n_hedges >= options["min_hedges"] or len(terms) >= options["min_weak"]:
                piled += [term for term in terms if term not in piled]
        found = piled
    if found:  # the words that decide first: vague words, then hedges, then weak words
        found.sort(key=lambda t: 0 if t in strong or " " in t else 1 if t in hedges else 2)
        yield (
            f"Vague wording: {quote(found, 8)}. Replace each with what is meant: a number, a "
            "list or a decision."
        )


#: A sentence that asks for something: a modal, a wish, or an instruction.
_ASKS = re.compile(
    rf"\b(?:should|must|shall|needs?|has\s+to|have\s+to|want|wants|would\s+like|would\s+be|"
    rf"require[sd]?)\b|^\W*(?:{'|'.join(word_list(ACTION_VERBS))}|optimi[sz]e)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _phrases(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The vague phrases as one pattern (one pass over the text)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def vague_phrase(body: str) -> bool:
    """True when the body's prose holds one of the default :data:`VAGUE_PHRASES`."""
    return bool(_phrases(tuple(VAGUE_PHRASES)).search(prose(body)))


#: Issue-template prompts addressed to the reporter ("please provide ... if possible").
_PROMPT = re.compile(
    r"\bplease\s+(?:provide|include|describe|add|attach|share)\b|\bi\s+checked\b", re.IGNORECASE
)
#: What makes a sentence a requirement rather than background or a report of what happened.
_REQUIREMENT = re.compile(
    r"\b(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|want|wants|would\s+like|"
    r"required?|requirements?|expected\s+to|as\s+an?\b|so\s+that)\b",
    re.IGNORECASE,
)


_IMPERATIVE_START = re.compile(rf"^\W*(?:{'|'.join(word_list(ACTION_VERBS))})\b", re.IGNORECASE)
_DECISION_PENDING = re.compile(r"\b(?:tbd|tbc|to be (?:determined|decided|defined))\b", re.I)


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


@rule(
    "BL105",
    "hard-to-read",
    family="clarity",
    severity="info",
    options={
        "max_sentence_words": 60,
        "max_run_on_words": 35,
        "min_reading_ease": 0.0,
        "min_prose_words": 80,
    },
)
def hard_to_read(ticket, ctx):
    """What: The prose of the description has a sentence longer than `max_sentence_words`
    words, a run-on sentence of at least `max_run_on_words` words that chains clauses with two
    or more semicolons ("...; if the creator ..., the request is rejected; if ..."), or its
    Flesch reading ease is below `min_reading_ease` over at least
    `min_prose_words` words. Code blocks, logs, stack traces, tables, URLs and inline code are
    left out, and so is a "sentence" where more than one word in ten looks like code, a path or
    a number (a log or command pasted without a fence).

    Why: A ticket is read many times, often in a hurry. One 80-word sentence hides the point
    and the conditions in it; people skim and miss them.

    Example: "As an on-call engineer I want alerts routed better because right now they go to
    the shared channel and also to PagerDuty and sometimes to email as well which means ..."

    Fix: Split long sentences; put conditions and cases in a list; move background to its own
    paragraph.

    Options: Flesch reading ease: 60+ is plain English, 30 is hard (technical papers), below 0
    is very hard. Technical tickets score low anyway, so the default only catches extremes.
    """
    if not ticket.is_open or ticket.kind == "subtask":
        return
    longest, length, counted = longest_sentence(ticket.body)
    if length > ctx.options["max_sentence_words"]:
        opening = " ".join(longest.split()[:10])
        yield (
            f'A sentence of {length} words ("{opening} ...") is hard to follow; split it and '
            "put conditions or cases in a list."
        )
        return
    chained = run_on(ticket.body, ctx.options["max_run_on_words"])
    if chained:
        opening = " ".join(chained.split()[:10])
        yield (
            f'A sentence of {len(chained.split())} words chains clauses with semicolons '
            f'("{opening} ..."); make each case its own sentence or list item.'
        )
        return
    if counted < ctx.options["min_prose_words"]:
        return
    ease = body_reading_ease(ticket.body)
    if ease < ctx.options["min_reading_ease"]:
        yield (
            f"The description is hard to read (Flesch reading ease {ease:.0f}); use shorter "
            "sentences and plainer words."
        )


@hookimpl
def register_rules(register):
    """Register the clarity rules BL104-BL105."""
    register(vague_language)
    register(hard_to_read)
