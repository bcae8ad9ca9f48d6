"""Clarity rule BL106: the description still holds an issue template's text.

Placeholders ("[describe here]"), issue-template boilerplate ("A clear and concise description
of ...") and template headings with nothing under them. Closed tickets are not judged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import lowered, quote, strip_code

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


_INLINE_CODE = lazy(r"`[^`\n]*`")
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
def _placeholders(patterns: tuple[str, ...]) -> tuple[tuple[str, Folded], ...]:
    """Each pattern (case-insensitive) with its pre-check literal ("" for configured ones)."""
    needles = _NEEDLES if patterns == tuple(PLACEHOLDERS) else ("",) * len(patterns)
    return tuple((n, Folded(p)) for n, p in zip(needles, patterns, strict=True))


#: A line that is only a list marker or a number ("-", "1.", "- [ ]"): an empty answer.
_BARE_ITEM = lazy(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]?\])?\s*$")
#: Headings a bug report cannot do without: left empty, the template was not filled in.
_KEY_BUG_HEADING = lazy(
    r"^(?:the\s+)?(?:steps\s+to\s+reproduce|to\s+reproduce|repro(?:duction)?\s+steps|"
    r"expected(?:\s+(?:behaviou?r|results?))?|actual(?:\s+(?:behaviou?r|results?))?|"
    r"current\s+(?:behaviou?r|results?)|describe\s+the\s+bug|(?:bug\s+)?description)\W*$",
    re.IGNORECASE,
)
#: The same for the other kinds: what is wanted and how we know it is done.
_KEY_HEADING = lazy(
    r"^(?:acceptance\s+criteria|description|(?:user\s+)?story|describe\s+the\s+feature)\W*$",
    re.IGNORECASE,
)
#: A form's two choices left as the answer: "Does it occur with extensions disabled?: Yes/No".
_BOTH_CHOICES = Folded(r":\s*\[?\(?(?:yes\s*/\s*no|no\s*/\s*yes)\)?\]?\s*$", re.M)


def _heading_sections(body: str) -> tuple[list[str], int]:
    """Titles of ``#`` headings with nothing under them, and how many headings have content.

    Code blocks count as content (a log under "Steps to reproduce" fills the section); a
    "heading" with a colon ("# PASS: 4", a log line) or a whole sentence carries content; a
    bare list marker or number ("1.", "-") does not.
    """
    if body.count("#") < 2:
        return [], 0
    empty: list[str] = []
    filled = 0
    title, level, has_content = None, 0, False
    for line in [*body.splitlines(), "# end"]:
        heading = line.lstrip("#").strip()
        if not (line.startswith("#") and line.lstrip("#").startswith(" ")):
            stripped = line.strip()
            has_content = has_content or bool(
                stripped and (len(stripped) > 5 or not _BARE_ITEM.match(stripped))
            )
        elif ":" in heading or len(heading.split()) > 8 or not heading[:1].isupper():
            has_content = True  # not a template heading: a log line, a sentence, a comment
        else:
            depth = len(line) - len(line.lstrip("#"))
            if title is not None:
                if has_content:
                    filled += 1
                elif depth <= level:  # a heading right above its subsections is not empty
                    empty.append(title)
            title, level, has_content = heading, depth, False
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
    is." or "Go to '...'", a form's choices left as the answer ("Does it happen with
    extensions disabled?: Yes/No"), a section a report needs left empty (for a bug: steps to
    reproduce, expected or current behaviour; for other kinds: the description or the
    acceptance criteria), or several template headings with nothing under them.

    Why: An unfilled template looks like a complete ticket in a list but says nothing; the
    boilerplate also hides whatever the author did write.

    Example: A bug whose body is the GitHub bug template with "Steps to reproduce: 1. Go to
    '...' 2. Click on '....'" unchanged.

    Fix: Replace each placeholder with the real details and delete sections that do not apply.

    Options: `placeholders` are regular expressions (case-insensitive) for template text;
    `min_empty_sections` is how many headed sections must be empty (and outnumber the filled
    ones) before the body counts as an empty template; code under a heading is content, a
    bare "1." or "-" is not, a heading right above its subsections is not empty, and HTML
    comments are invisible and never count.
    """
    if not ticket.is_open:
        return
    body = _INLINE_CODE.sub(" ", strip_code(ticket.body))  # `cmd <your-dir>` is syntax
    found = []
    low = lowered(body)
    for needle, pattern in _placeholders(tuple(ctx.options["placeholders"])):
        match = pattern.search(body, lowered=low) if needle in low else None
        if match:
            found.append(body[match.start() : match.end()].strip())  # as written
    maybe = "yes" in low or not body.isascii()
    choices = _BOTH_CHOICES.search(body, lowered=low) if maybe else None
    if choices:
        found.append(body[choices.start() : choices.end()].lstrip(": ").strip())
    if found:
        yield (
            f"The description still has template placeholders: {quote(found, 4)}. Replace "
            "them with the real details or delete the sections that do not apply."
        )
        return
    empty, filled = _heading_sections(ticket.body)
    needed = _KEY_BUG_HEADING if ticket.kind == "bug" else _KEY_HEADING
    key = [title for title in empty if needed.match(title)]
    if key:
        yield (f"Template sections are empty: {quote(key, 4)}. Fill them in or delete them.")
    elif len(empty) >= ctx.options["min_empty_sections"] and len(empty) > filled:
        yield (f"Template sections are empty: {quote(empty, 4)}. Fill them in or delete them.")


@hookimpl
def register_rules(register):
    """Register the clarity rule BL106."""
    register(unfilled_template)
