"""Clarity rules (BL101-BL106): can someone who was not in the room understand the ticket?

Title, body size, vague wording, readability and unfilled templates. Story form and atomicity
live in :mod:`backlint.rules.clarity_story`, bug reports in :mod:`backlint.rules.clarity_bug`.
Closed tickets are not judged: nobody will rewrite them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.hookspecs import hookimpl
from backlint.rule import rule
from backlint.rules.clarity_story import ACTION_VERBS
from backlint.rules.prose import body_reading_ease, longest_sentence, sentences
from backlint.rules.textutil import (
    article,
    find_terms,
    lowered,
    memo,
    plural,
    quote,
    strip_code,
    without_criteria_body,
    word_count,
    word_list,
    words,
)

GENERIC_TITLE_WORDS = word_list(
    "fix fixes fixed fixing bug bugs bugfix issue issues problem problems error errors "
    "update updates updated improve improved improvement improvements enhance enhancement "
    "enhancements change changes tweak tweaks misc miscellaneous various stuff things thing "
    "todo wip task tasks cleanup clean refactor refactoring minor small quick more new "
    "feature features request question help broken work works working doesn't not please "
    "pls asap urgent test testing placeholder tbd untitled story epic ticket item general "
    "other follow-up followup it everything something"
)
_TITLE_STOP = set(
    word_list(
        "a an the to for of in on and or with some this that is are be my our up all few needed"
    )
)
_TITLE_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{1,20}\]\s*|(?:feat|fix|chore|bug|story|epic|task|"
    r"spike|feature|docs?)(?:\([^)]*\))?\s*:\s*)+",
    re.IGNORECASE,
)

VAGUE_WORDS = word_list(
    "tbd|tbc|to be determined|to be decided|etc.|and/or|as appropriate|as needed|"
    "as required|if possible|where possible|if needed|if necessary|user-friendly|"
    "user friendly|easy to use|intuitive|seamless|seamlessly|state of the art|"
    "state-of-the-art|best-in-class|and so on|and so forth|some kind of|some sort of|"
    "or something|as soon as possible",
    "|",
)
WEAK_WORDS = word_list(
    "fast faster quick quickly easy easily simple better efficient efficiently robust "
    "flexible nice good some several many few various appropriate appropriately properly "
    "optimal optimized sufficient adequate reasonable significant significantly enough"
)

PLACEHOLDERS = (
    r"\[\s*(?:(?:describe|insert|add|enter|fill|write|put)\s+(?:here|your|the|a|an|in|"
    r"description|details|text|name|link|steps|title)\b[^\]\n]{0,40}|your\s[^\]\n]{1,40}|"
    r"todo|tbd|placeholder|description|details)\s*\]",
    r"<\s*(?:describe|insert|enter|your|fill|write|put)\b[^>\n]{0,60}>",
    r"a clear and concise description of",
    r"\b(?:go to|click on|scroll down to)\s+'\.{3,}'",
    r"\blorem ipsum\b",
    r"\btodo:?\s+(?:describe|fill|write|add (?:a )?description)",
    r"\b(?:describe|explain) (?:the|your) (?:bug|issue|feature|problem|change|task) here\b",
    r"\b(?:write|put|add|enter) (?:your|the) (?:description|text|details|answer) here\b",
    r"\breplace this (?:text|line|section|paragraph)\b",
    r"\bfill (?:in|out)? ?this (?:section|template|form)\b",
)


def is_generic_title(title: str, generic_words=GENERIC_TITLE_WORDS) -> bool:
    """True when the title, minus prefixes like ``[bug]``, is only generic words."""
    title = _TITLE_PREFIX.sub("", title).strip()
    found = [w for w in words(title.lower()) if w not in _TITLE_STOP]
    generic = _lower_set(tuple(generic_words))
    return bool(found) and all(w in generic for w in found) and not re.search(r"\d", title)


@lru_cache(maxsize=64)
def _lower_set(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(item.lower() for item in items)


@rule(
    "BL101",
    "title-length",
    family="clarity",
    severity="warning",
    options={"min_words": 2, "max_words": 25, "max_chars": 150},
)
def title_length(ticket, ctx):
    """What: The title is missing, shorter than `min_words` words, or longer than `max_words`
    words or `max_chars` characters.

    Why: The title is all most people ever read of a ticket: in lists, boards, notifications and
    search results. Two words rarely say what is wrong or what is wanted; a paragraph in the title
    hides the point.

    Example: "Checkout" (too short); "Customers on Safari cannot complete checkout with a saved
    card" is fine.

    Fix: Say what and where in one short sentence; move detail into the description.

    Options: Numbers and code-like tokens do not count as words. Generic titles of two or
    more words ("Fix bug") are BL102's.
    """
    if not ticket.is_open:
        return
    title = ticket.title.strip()
    count = len(words(title))
    if not title:
        yield "The ticket has no title; say what is wanted or what is wrong in one line."
    elif count < ctx.options["min_words"]:
        yield (
            f'The title "{title}" has {plural(count, "word")}; say what and where in at '
            f"least {ctx.options['min_words']} words."
        )
    elif count > ctx.options["max_words"] or len(title) > ctx.options["max_chars"]:
        yield (
            f"The title is {count} words / {len(title)} characters long; keep it under "
            f"{ctx.options['max_words']} words and move detail into the description."
        )


@rule(
    "BL102",
    "vague-title",
    family="clarity",
    severity="warning",
    options={"generic_words": list(GENERIC_TITLE_WORDS)},
)
def vague_title(ticket, ctx):
    """What: The title is made only of generic words such as "fix bug", "improvements",
    "update", "issue", "problem" or "misc".

    Why: A generic title cannot be told apart from any other ticket in a list, a search or a
    standup; people open it to find out what it is about, or skip it.

    Example: "Fix bug", "Improvements", "update". "Fix the promo code reset on shipping change"
    is fine.

    Fix: Name the thing and the change: which screen, feature or component, and what should be
    different.

    Options: `generic_words` are the words that say nothing on their own; prefixes such as
    `[bug]` or `feat:` are ignored.
    """
    if ticket.is_open and is_generic_title(ticket.title, ctx.options["generic_words"]):
        yield (
            f'The title "{ticket.title.strip()}" is only generic words; name the feature, '
            "screen or component and what should change."
        )


@rule(
    "BL103",
    "thin-body",
    family="clarity",
    severity="warning",
    options={
        "min_words": {
            "story": 12,
            "feature": 12,
            "bug": 12,
            "epic": 15,
            "initiative": 15,
            "objective": 15,
            "task": 0,
            "subtask": 0,
        }
    },
)
def thin_body(ticket, ctx):
    """What: The description is missing, or shorter than the minimum for the ticket's kind.

    Why: A title alone leaves the reader to guess the context, the reason and the scope; the
    person who picks the ticket up weeks later was usually not in the conversation.

    Example: A story "update" whose whole description is "Update the checkout per the call with
    finance."

    Fix: Say what is wanted and why, for whom, and how we will know it is done. For a bug: the
    steps, what you expected and what happened.

    Options: `min_words` maps each kind to its minimum number of words (code counts; 0 turns the
    check off for that kind). Kinds not listed use the `task` value.
    """
    if not ticket.is_open:
        return
    table = ctx.options["min_words"]
    minimum = table.get(ticket.kind, table.get("task", 0))
    if minimum <= 0:
        return
    count = word_count(ticket.body)
    if count == 0:
        yield (
            f"This {ticket.kind} has no description; say what is wanted, why, and how we will "
            "know it is done."
        )
    elif count < minimum:
        yield (
            f"The description has only {plural(count, 'word')} (at least {minimum} expected for "
            f"{article(ticket.kind)}); add the context, the reason and what done looks like."
        )


@rule(
    "BL104",
    "vague-language",
    family="clarity",
    severity="warning",
    kinds=("story", "feature", "epic", "initiative", "task"),
    options={"vague_words": list(VAGUE_WORDS), "weak_words": list(WEAK_WORDS), "min_weak": 4},
)
def vague_language(ticket, ctx):
    """What: The title, or a sentence of the description that states what is wanted (the
    opening sentence, "should", "must", "I want", "so that", "Add ..."), uses vague or
    ambiguous words: placeholders for a decision ("TBD", "etc.", "and/or", "as appropriate")
    or unmeasurable adjectives and quantifiers ("fast", "user-friendly", "easy", "some",
    "several"). Background and reports of what happened are not judged.

    Why: Vague words hide decisions nobody has made. Each reader fills them in differently, and
    the difference shows up in review, in testing, or in production.

    Example: "The checkout should be fast and user-friendly, and handle several payment methods
    and/or gift cards, etc."

    Fix: Replace each word with what is meant: a number ("under 2 s on 4G"), a list ("Visa,
    Mastercard and PayPal"), or a decision ("gift cards are out of scope").

    Options: one of `vague_words` is enough; `weak_words` are common in good writing too, so
    they count only when `min_weak` different ones appear, and are otherwise listed only as
    extra evidence beside a vague word. Bugs are not checked (their wording describes what
    happened); acceptance criteria are checked by BL202; issue-template prompts ("please
    provide ... if possible") are skipped.
    """
    if not ticket.is_open:
        return
    text = ticket.title + "\n" + requirement_text(ticket.body)
    vague = find_terms(text, ctx.options["vague_words"])
    weak = find_terms(text, ctx.options["weak_words"])
    if vague or len(weak) >= ctx.options["min_weak"]:
        found = vague + weak
        yield (
            f"Vague wording: {quote(found, 8)}. Replace each with what is meant: a number, a "
            "list or a decision."
        )


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
def requirement_text(body: str) -> str:
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
    return "\n".join(dict.fromkeys(kept))


@rule(
    "BL105",
    "hard-to-read",
    family="clarity",
    severity="info",
    options={"max_sentence_words": 60, "min_reading_ease": 0.0, "min_prose_words": 80},
)
def hard_to_read(ticket, ctx):
    """What: The prose of the description has a sentence longer than `max_sentence_words`
    words, or its Flesch reading ease is below `min_reading_ease` over at least
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
    if counted < ctx.options["min_prose_words"]:
        return
    ease = body_reading_ease(ticket.body)
    if ease < ctx.options["min_reading_ease"]:
        yield (
            f"The description is hard to read (Flesch reading ease {ease:.0f}); use shorter "
            "sentences and plainer words."
        )


_INLINE_CODE = re.compile(r"`[^`\n]*`")
#: For each default placeholder pattern, a literal its match must contain (a cheap pre-check).
_NEEDLES = (
    "[",
    "<",
    "clear and concise",
    "'...",
    "lorem",
    "todo",
    " here",
    " here",
    "replace",
    "this",
)


@lru_cache(maxsize=64)
def _placeholders(patterns: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each pattern compiled with its pre-check literal ("" for configured patterns)."""
    needles = _NEEDLES if patterns == tuple(PLACEHOLDERS) else ("",) * len(patterns)
    return tuple((n, re.compile(p, re.IGNORECASE)) for n, p in zip(needles, patterns, strict=True))


def _heading_sections(body: str) -> tuple[list[str], int]:
    """Titles of ``#`` headings with nothing under them, and how many headings have content.

    Code blocks count as content (a log under "Steps to reproduce" fills the section); a
    "heading" with a colon ("# PASS: 4", a log line) or a whole sentence carries content.
    """
    if body.count("#") < 2:
        return [], 0
    empty: list[str] = []
    filled = 0
    title, has_content = None, False
    for line in [*body.splitlines(), "# end"]:
        heading = line.lstrip("#").strip()
        if not (line.startswith("#") and line.lstrip("#").startswith(" ")):
            has_content = has_content or bool(line.strip())
        elif ":" in heading or len(heading.split()) > 8 or not heading[:1].isupper():
            has_content = True  # not a template heading: a log line, a sentence, a comment
        else:
            if title is not None:
                if has_content:
                    filled += 1
                else:
                    empty.append(title)
            title, has_content = heading, False
    return empty, filled


@rule(
    "BL106",
    "unfilled-template",
    family="clarity",
    severity="warning",
    options={"placeholders": list(PLACEHOLDERS), "min_empty_sections": 3},
)
def unfilled_template(ticket, ctx):
    """What: The description still holds template text: placeholders such as "[describe
    here]", issue-template boilerplate such as "A clear and concise description of what the bug
    is." or "Go to '...'", or template headings with nothing under them.

    Why: An unfilled template looks like a complete ticket in a list but says nothing; the
    boilerplate also hides whatever the author did write.

    Example: A bug whose body is the GitHub bug template with "Steps to reproduce: 1. Go to
    '...' 2. Click on '....'" unchanged.

    Fix: Replace each placeholder with the real details and delete sections that do not apply.

    Options: `placeholders` are regular expressions (case-insensitive) for template text;
    `min_empty_sections` is how many headed sections must be empty (and outnumber the filled
    ones) before the body counts as an empty template; code under a heading is content, and
    HTML comments are invisible and never count.
    """
    if not ticket.is_open:
        return
    body = _INLINE_CODE.sub(" ", strip_code(ticket.body))  # `cmd <your-dir>` is syntax
    found = []
    low = lowered(body)
    for needle, pattern in _placeholders(tuple(ctx.options["placeholders"])):
        match = pattern.search(body) if needle in low else None
        if match:
            found.append(match.group(0).strip())
    if found:
        yield (
            f"The description still has template placeholders: {quote(found, 4)}. Replace "
            "them with the real details or delete the sections that do not apply."
        )
        return
    empty, filled = _heading_sections(ticket.body)
    if len(empty) >= ctx.options["min_empty_sections"] and len(empty) > filled:
        yield (f"Template sections are empty: {quote(empty, 4)}. Fill them in or delete them.")


@hookimpl
def register_rules(register):
    """Register the clarity rules BL101-BL106."""
    for item in (
        title_length,
        vague_title,
        thin_body,
        vague_language,
        hard_to_read,
        unfilled_template,
    ):
        register(item)
