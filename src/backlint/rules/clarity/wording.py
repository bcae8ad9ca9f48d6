"""Clarity rules BL104-BL105: is the wording precise and readable?

Vague words in what the ticket asks for, and prose too long-winded to follow. Closed tickets are
not judged: nobody will rewrite them.
"""

from __future__ import annotations

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.clarity.evaluative import WORDS, evaluative_asks, spelled_out, want_part
from backlint.rules.clarity.vague import (
    ASKS,
    EXAMPLES,
    HEDGE_WORDS,
    VAGUE_PHRASES,
    VAGUE_WORDS,
    WEAK_WORDS,
    asked,
    find_phrases,
    requirement_sentences,
    requirement_text,
)
from backlint.rules.text.prose import body_reading_ease, longest_sentence, prose, run_on
from backlint.rules.text.util import find_terms, lower_set, quote

__all__ = ["requirement_sentences", "requirement_text"]

_EVALUATIVE = tuple(sorted(WORDS))


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
    ("fast, easy and robust, with several options and/or defaults, etc."), or the want of a
    sentence that asks ("I want ...", "should ...", "must ...") hinges on an evaluative word
    that nothing measures: "I want to quickly find ...", "a reliable way to ...", "relevant
    results", "more sophisticated models" with no number, no baseline ("faster than the nightly
    job"), no example ("such as ...") and no list, code or acceptance criteria that spell the
    want out. Background,
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
    questions and speculation ("could", "might", "I think", "I am wondering") are left out;
    an evaluative word also does not count when it points at known things ("the relevant
    docs", "accessible from the menu"), judges the ask itself ("it would be useful to"), or
    sits in the purpose of a step ("a flag ... to quickly skip it"). The evaluative words
    are the fixed lexicon of `backlint.rules.clarity.evaluative`.
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
    configured = tuple(options["vague_phrases"])
    # Cheap first look: the whole text holds every word and phrase the requirement sentences
    # can hold.
    text = ticket.title + "\n" + prose(ticket.body)
    found = find_terms(text, every)
    if not (
        strong.intersection(found)
        or len(found) >= least
        or find_phrases(text, configured)
        or find_terms(text, _EVALUATIVE)
    ):
        return
    open_ended = not spelled_out(ticket.body)
    units = [asked(unit) for unit in (ticket.title, *requirement_sentences(ticket.body))]
    wanted = "\n".join(units)
    found = find_terms(wanted, every)
    said = []
    for index, unit in enumerate(units):
        hits = find_phrases(unit, configured)
        if hits and (index == 0 or ASKS.search(unit)):  # only in what asks, or the title
            said += hits
        if index and open_ended and ASKS.search(unit):  # a quality asked with no measure
            said += evaluative_asks(want_part(unit))
    if said:
        found = [*dict.fromkeys(said), *(term for term in found if term in strong)]
    elif not strong.intersection(found):
        piled: list[str] = []
        for unit in units:
            terms = find_terms(unit, every)
            if "etc." in terms and EXAMPLES.search(unit):
                terms.remove("etc.")
            n_hedges = sum(1 for term in terms if term in hedges)
            if n_hedges >= options["min_hedges"] or len(terms) >= options["min_weak"]:
                piled += [term for term in terms if term not in piled]
        found = piled
    # "in an efficient way" and "efficient way" are one place in the text: name it once
    found = [t for t in found if not any(t != o and t in o for o in found)]
    if found:  # the words that decide first: vague words, then hedges, then weak words
        found.sort(key=lambda t: 0 if t in strong or " " in t else 1 if t in hedges else 2)
        yield (
            f"Vague wording: {quote(found, 8)}. Replace each with what is meant: a number, a "
            "list or a decision."
        )


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
            f"A sentence of {len(chained.split())} words chains clauses with semicolons "
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
