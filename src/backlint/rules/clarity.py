"""Clarity rules (BL1xx): can someone who was not in the room understand the ticket?"""

from __future__ import annotations

from backlint.hookspecs import hookimpl
from backlint.rule import rule
from backlint.rules.textutil import words


@rule(
    "BL101",
    "title-length",
    family="clarity",
    severity="warning",
    options={"min_words": 3, "max_words": 20, "max_chars": 120},
)
def title_length(ticket, ctx):
    """What: The title is missing, shorter than `min_words` words, or longer than `max_words`
    words or `max_chars` characters.

    Why: The title is all most people ever read of a ticket: in lists, boards, notifications and
    search results. Two words rarely say what is wrong or what is wanted; a paragraph in the title
    hides the point.

    Example: "Login broken" (too short); "Customers on Safari cannot complete checkout with a
    saved card" is fine.

    Fix: Say what and where in one short sentence; move detail into the description.
    """
    title = ticket.title.strip()
    count = len(words(title))
    if not title:
        yield "The ticket has no title."
    elif count < ctx.options["min_words"]:
        yield (
            f"The title has {count} word{'s' if count != 1 else ''}; say what and where in at "
            f"least {ctx.options['min_words']} words."
        )
    elif count > ctx.options["max_words"] or len(title) > ctx.options["max_chars"]:
        yield (
            f"The title is {count} words / {len(title)} characters long; keep it under "
            f"{ctx.options['max_words']} words and move detail into the description."
        )


@hookimpl
def register_rules(register):
    register(title_length)
