"""Why a ticket body is too thin to act on, for BL103 (thin-body). Pure; no I/O.

An empty body; a body that is only a template's headings or answers repeating the title; only a
pointer elsewhere under a title that does not say the scope; a one-liner that restates the title
of open-ended work, or whose only ask is vague; one sentence that only says what the title's
thing will be for; fewer words than the kind's minimum. Closing references, upstream issues,
task lists, code and titles that are whole instructions pass.
"""

from __future__ import annotations

import re

from backlint.rules.clarity.body import (
    delegated,
    has_code,
    is_form,
    own_words,
    points_elsewhere,
    refers_to_conversation,
    says_exactly,
)
from backlint.rules.clarity.titles import BOUNDED_TITLE, PRECISE_TITLE, specific_title
from backlint.rules.clarity.vague import vague_phrase
from backlint.rules.text.document import document
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import sentences
from backlint.rules.text.util import article, plural, words

#: "... to use the store pattern", "... for the new fuzzer": where a bounded change goes.
_TARGET = lazy(r"\s(?:to|into|from|for|with|as|in|on)\s", re.IGNORECASE)


def _bounded(title: str, body: str) -> bool:
    """A bounded change of a named thing: said by the title ("Add snippets to the query
    operators"), or by a body sentence that also says where it goes ("Change all plugins to
    use the store pattern")."""
    if BOUNDED_TITLE.search(title) and specific_title(title):
        return True
    for pattern in (BOUNDED_TITLE, PRECISE_TITLE):
        match = pattern.match(body.lstrip())
        if match and _TARGET.search(body, match.end()):
            return True
    return False


def thin_reason(ticket, minimum: int, max_short: int, max_own: int) -> str | None:
    """Why the body is too thin to act on, or None (see :func:`thin_body`).

    The cheap tests come first; whether the body holds code or hands the detail elsewhere
    ("fixes #12") is asked only of a body about to be flagged.
    """
    title, body = ticket.title, ticket.body
    # every test below compares the count with a threshold at most this high
    count = document(body).words_up_to(max(2 * max_short, minimum) + 1)
    if count == 0:
        if ticket.kind == "bug":  # what a reporter can give: what happens, and how
            return (
                "This bug report has no description; say what happens, what you expected "
                "instead, and the steps that make it happen."
            )
        return (
            f"This {ticket.kind} has no description; say what is wanted, why, and how we will "
            "know it is done."
        )
    long = count > 2 * max_short and count >= minimum
    bare = len(own_words(title, body, max_own)) <= max_own
    if long and not bare:
        return None  # long enough, in the author's own words
    form = is_form(body)
    if long and not form:
        return None
    reason = _reason(ticket, title, body, count, minimum, max_short, bare, form)
    if reason and not (has_code(body) or delegated(body)):
        return reason  # not code or a log, not a change it closes or an issue it tracks
    return None


def _reason(ticket, title, body, count, minimum, max_short, bare, form) -> str | None:
    """The reason of :func:`thin_reason`, before the code and delegation guards."""
    if bare and form:
        return (
            "The description is only a template's headings, or answers that repeat the title; "
            "fill in what happens or what is wanted, in your own words."
        )
    if count > 2 * max_short and count >= minimum:
        return None
    if PRECISE_TITLE.search(title) and specific_title(title):
        return None
    if count < minimum and _whole_request(title):
        return None
    if count < minimum:
        return (
            f"The description has only {plural(count, 'word')} (at least {minimum} expected for "
            f"{article(ticket.kind)}); add the context, the reason and what done looks like."
        )
    short = bare and count <= max_short
    # "As we discussed, ...": what was decided lives in someone's memory
    talk = count <= 2 * max_short and refers_to_conversation(body)
    if (talk and not says_exactly(title, body)) or (short and points_elsewhere(body)):
        if talk or not specific_title(title):
            return (
                "The description only points elsewhere (a link, a screenshot, a conversation); "
                "say here what is wanted and why, so the ticket stands on its own."
            )
    elif (short and not (_bounded(title, body) or _pins_down(title, body))) or (
        count <= 2 * max_short and _only_its_purpose(title, body)
    ):
        return (
            "The description adds next to nothing to the title; add the context, the scope and "
            "what done looks like."
        )
    return None


#: "This scaffolding will be the basis for ...": the body names the title's thing and what it
#: will be for, not what it is or does.
_ABOUT_ITSELF = lazy(
    r"^\W*(?:this|the)\s+(?P<thing>[\w-]+(?:\s+[\w-]+)?)\s+(?:will|would|is\s+going\s+to)\s+"
    r"(?:be|contain|serve|hold)\b(?![^.]*\b(?:should|must|needs?\s+to|so\s+it)\b)",
    re.IGNORECASE,
)


def _whole_request(title: str) -> bool:
    """A title that is a whole request on its own: a bounded change and where it goes, in six
    words or more, with nothing that leaves the scope open."""
    return (
        bool(BOUNDED_TITLE.match(title))
        and len(words(title)) >= 6
        and bool(_TARGET.search(title))
        and specific_title(title)
    )


def _only_its_purpose(title: str, body: str) -> bool:
    """True for a one-sentence body that says what the title's thing will be for."""
    match = _ABOUT_ITSELF.match(body.strip())
    if not match or len(sentences(body)) != 1:
        return False
    said = {w.lower() for w in words(title)}
    return any(w.lower() in said for w in words(match.group("thing")))


def _pins_down(title: str, body: str) -> bool:
    """A short body pins something down (see :func:`says_exactly`) unless what it asks hinges
    on vague words ("should test larger, more complicated queries")."""
    return says_exactly(title, body) and not vague_phrase(body)
