"""What a short ticket body says of its own, for BL103 (thin-body). Pure; no I/O.

A body can have words and still say nothing: template headings with nothing under them, form
answers that repeat the title, a screenshot, a link to a discussion, one sentence that restates
the title. :func:`own_words` is what is left once all that is taken out; :func:`shape` names
what a contentless body is made of, so the finding can say it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from functools import lru_cache

from backlint.rules.text.document import document
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import LOG_LINES, is_log_line
from backlint.rules.text.util import (
    MAX_CHARS,
    WORD,
    checkboxes,
    lowered,
    memo,
    strip_code,
    word_list,
)

#: Words that carry no content of their own in a short body: function words, fillers and the
#: words of a pointer ("see the discussion in ...").
_FILLER = frozenset(
    word_list(
        "a an the to for of in on at by from with without into onto over under about as per "
        "and or but nor so if then than that this these those there here it its it's is are "
        "was were be been being am do does did done have has had having will would shall "
        "should can could may might must need needs needed i we you he she they me us him her "
        "them my our your their mine ours not no yes also just only very really too still "
        "currently now please thanks thank see seen link links issue issues ticket pr pull "
        "request thread comment comments discussion discussed discuss continue continued "
        "following follow follow-up followup up new image images screenshot screenshots "
        "attached attachment below above etc e g ie eg which what when where who how why "
        "think believe guess like some any all more same other"
    )
)
#: A word or a number ("30", "3.1.0").
_TOKEN = lazy(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)*")
_IMAGE = lazy(r"\[image(?::[^\]\n]*)?\]|!\[[^\]\n]*\]\([^)\n]*\)", re.IGNORECASE)
_URL = lazy(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_REF = lazy(r"(?:\b[\w.-]+/[\w.-]+)?#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b")
_HEADING = lazy(r"^\s*#{1,6}\s")
#: "Label: value" and "Label:" lines of a form: the label is the template's, the value is not.
#: A form's labels are capitalised and short; "put into a box:" or a list item is content.
_LABEL = lazy(r"^\s*(?:\*\*|__)?[A-Z][\w()&'-]*(?:[ /][\w()&'-]+){0,5}(?:\*\*|__)?\s*:")
#: A heading, or a "Label: short value" line (not "https://...").
_FORM_LINE = lazy(
    r"^\s*#{1,6}\s.*$|^\s*(?:\*\*|__)?[A-Z][\w()&'-]*(?:[ /][\w()&'-]+){0,5}(?:\*\*|__)?\s*:"
    r"(?!//)[^\n]{0,39}$",
    re.MULTILINE,
)
_CHECKBOX = lazy(r"^\s*[-*+]\s+\[[ xX]\]\s*(.*)$")
#: A template's checklist: "- [x] I searched the existing issues", or any item under a
#: heading such as "Issue submission checklist".
_AFFIRMATION = lazy(r"^(?:i|i've|i'm|i\s+have|i\s+am|my|this\s+is\s+not)\b", re.I)
_CHECKLIST_HEADING = lazy(r"checklist|prerequisite|before\s+submitting|confirm", re.I)
#: A form's answer that is no answer.
_NO_ANSWER = lazy(r"^\W*(?:no\s+response|n/?a|none|nothing|tbd|todo|-+)\W*$", re.I)
#: Where the work is described elsewhere on purpose: a pull request it closes, an upstream
#: issue it tracks.
_CLOSING = Folded(
    r"\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|backport\s+of|cherry-pick\s+of)\s*:?\s+"
    r"(?:#\d+|https?://\S+|[A-Z][A-Z0-9]+-\d+)",
)
#: A failing CI job, a fuzzer report or a sandbox: the log or the live example is the report.
_EVIDENCE_LINK = Folded(
    r"cirrus-ci|/actions/runs/|/job/|buildkite|travis-ci|circleci|dev\.azure\.com|oss-fuzz|"
    r"codesandbox|stackblitz|jsfiddle|codepen|replit|repl\.it|godbolt|colab\.research",
)
#: The words that :data:`_CLOSING` and :data:`_TRACKING` need, found in one pass.
_DELEGATION_HINT = lazy(r"fix|clos|resolv|backport|cherry|track|upstream|mirror")
_TRACKING = Folded(r"\b(?:track(?:s|ing|ed)?|upstream|mirror(?:s|ed)?\s+of)\b")
#: "As discussed", "per our call", "following X's suggestion": the content is in a conversation.
_CONVERSATION = lazy(
    r"\b(?:as\s+(?:we\s+)?(?:discussed|agreed|talked\s+about|mentioned)|"
    r"per\s+(?:our|the|my)\s+(?:conversation|discussion|call|meeting|chat)|"
    r"(?:following|after)\s+(?:the\s+|our\s+)?(?:[\w']+\s+)?(?:suggestion|conversation|"
    r"discussion|call|meeting)|continue\s+(?:the\s+)?discussion)\b",
    re.IGNORECASE,
)


def _stem(word: str) -> str:
    """The first five letters, a plural "s" dropped ("tests" / "testing" / "test")."""
    lower = word.lower()
    return (lower[:-1] if lower.endswith("s") and len(lower) > 3 else lower)[:5]


def _content_lines(body: str) -> Iterator[str]:
    """The body's lines that a person wrote as content, one at a time.

    Left out: headings, form labels (their values stay), a template's checklist, images,
    quoted lines, URLs, issue references and log lines. Inline code stays: it names things.
    Each line is cleaned only when it holds what the cleaning removes (cheap checks first).
    """
    heading = ""
    for line in strip_code(body).splitlines():
        text = line.strip()
        if not text or text.startswith((">", "<!--")) or is_log_line(text):
            continue
        if text.startswith("#") and _HEADING.match(line):
            heading = text
            if len(text.split()) <= 9:
                continue  # a template's heading; a longer one is a sentence of content
            text = text.lstrip("#")
        if "[" in text:
            box = _CHECKBOX.match(line)
            if box and (_AFFIRMATION.match(box.group(1)) or _CHECKLIST_HEADING.search(heading)):
                continue
            if "image" in text or "![" in text:
                text = _IMAGE.sub(" ", text)
        if "://" in text or "www." in text:
            text = _URL.sub(" ", text)
        if "#" in text or "-" in text:
            text = _REF.sub(" ", text)
        if ":" in text:
            label = _LABEL.match(text)
            if label and len(text) - label.end() < 80:
                text = text[label.end() :]  # "React version: 17.0.2" -> "17.0.2"
        if text.strip(" -*+.:0123456789") and not _NO_ANSWER.match(text):
            yield text


@memo
def author_text(body: str) -> str:
    """What the author wrote, one line each: the body without code, logs, headings, form
    labels, template checklists, images, quotes, URLs and unanswered fields ("No response")."""
    return "\n".join(_content_lines(body))


def content_words(body: str, limit: int = 1_000_000) -> list[str]:
    """Distinct content words (and numbers) of the body, fillers left out (see own_words)."""
    return own_words("", body, limit)


def own_words(title: str, body: str, limit: int = 1_000_000) -> list[str]:
    """Distinct content words of the body that the title does not already say; reading stops
    once more than ``limit`` are found.

    Words are compared on their first five letters ("scaffold" / "scaffolding"); numbers
    count ("from 10 to 30 seconds"); fillers and the words of a pointer ("see",
    "discussion", "link") are not content.
    """
    said = _stems(title)
    found: dict[str, str] = {}
    for line in _content_lines(body):
        for word in _TOKEN.findall(line.lower()):
            if word in _FILLER or (len(word) < 3 and not word.isdigit()):
                continue
            stem = (word[:-1] if word[-1] == "s" and len(word) > 3 else word)[:5]
            if stem not in said and stem not in found:
                found[stem] = word
                if len(found) > limit:
                    return list(found.values())
    return list(found.values())


@lru_cache(maxsize=256)
def _stems(title: str) -> frozenset[str]:
    """The stems of a title's words (see :func:`_stem`)."""
    return frozenset(_stem(word) for word in _TOKEN.findall(title))


@memo
def is_form(body: str) -> bool:
    """True when the body is laid out as a template: two or more headings or form labels."""
    lines = _FORM_LINE.finditer(strip_code(body))
    return next(lines, None) is not None and next(lines, None) is not None


@memo
def has_code(body: str) -> bool:
    """True when the body has a fenced block (code, a log, a trace) or two log lines: content
    of its own."""
    if "```" in body or "~~~" in body:
        return True
    lines = LOG_LINES.finditer(body[:MAX_CHARS])
    return next(lines, None) is not None and next(lines, None) is not None


_SPECIFIC = lazy(
    r"`[^`\n]+`|[\"“][^\"”\n]{1,40}[\"”]|\b(?:should|must|shall)\b|"
    r"\b(?:so\s+that|so\s+(?:we|they|it|users?)|in\s+order\s+to|to\s+avoid|because)\b|"
    r"\b(?:when|whenever|unless|only\s+(?:happens|when|if))\b|"
    r"^\s*(?:[-*]|\d+[.)])\s+\S",
    re.IGNORECASE | re.MULTILINE,
)
#: A name from the code or a value: "depends_on", "resmoke.py", "ChannelRegistry", "30".
_IDENTIFIER = lazy(r"\b\w*(?:[a-z][A-Z]|_|\w\.\w)\w*|\b\d+\b")
#: A failure stated in a short body: it reports a bug, whatever the ticket's type.
_FAILURE = lazy(
    r"\b(?:fail\w*|error\w*|crash\w*|broken|incorrect\w*|wrong|missing|not|doesn't|isn't|"
    r"can't|cannot|hard-?coded)\b",
    re.IGNORECASE,
)


def says_exactly(title: str, body: str) -> bool:
    """True when a short body pins something down the title does not: a name from the code or
    a value, inline code, a quoted term, a list, a reason ("so that ..."), a condition ("only
    when ..."), a sentence of what should happen ("It should return 404"), or a failure ("can
    fail if a view exists")."""
    text = strip_code(body)
    if _SPECIFIC.search(text) or _FAILURE.search(text):
        return True
    said = {w.lower() for w in _IDENTIFIER.findall(title)}
    return any(w.lower() not in said for w in _IDENTIFIER.findall(_URL.sub(" ", text)))


def points_elsewhere(body: str) -> bool:
    """True when the body holds a link, an issue reference, a screenshot or a reference to a
    conversation ("as discussed")."""
    if "://" in body or "www." in body or "[image" in body or "![" in body:
        return True
    return bool(_REF.search(body) or _CONVERSATION.search(body))


def refers_to_conversation(body: str) -> bool:
    """True when the body leans on a conversation ("as we discussed", "per our call")."""
    return bool(_CONVERSATION.search(body))


def in_links(body: str, pattern: re.Pattern[str] | Folded) -> bool:
    """True when ``pattern`` matches around one of the body's links (``://``): a link pattern
    is searched near the links only, not through the whole body."""
    start = body.find("://", 0, MAX_CHARS)
    if start < 0:
        return False
    if isinstance(pattern, Folded):
        search = functools.partial(pattern.search, lowered=document(body).lower)
    else:
        search = pattern.search
    while start >= 0:
        if search(body, max(0, start - 12), start + 200):
            return True
        start = body.find("://", start + 3, MAX_CHARS)
    return False


def delegated(body: str) -> bool:
    """True when a short body hands the detail to where it lives on purpose: the change it
    closes or backports ("fixes #12"), the upstream issue it tracks, a failing CI job or a
    sandbox with the example, or a task list of sub-issues."""
    low = lowered(body[:MAX_CHARS])
    linked = "://" in low
    tracking = False
    for hint in _DELEGATION_HINT.finditer(low):  # each phrase is read only where it can be
        at = hint.start()
        if hint.group(0)[:3] in ("tra", "ups", "mir"):
            tracking = tracking or bool(_TRACKING.search(low, max(0, at - 2), at + 30, lowered=low))
        elif _CLOSING.search(low, max(0, at - 2), at + 120, lowered=low):
            return True
    if linked and in_links(body, _EVIDENCE_LINK):
        return True
    if tracking:
        return linked or bool(_REF.search(body))
    items = checkboxes(body)
    return len(items) >= 2 and all(
        len(WORD.findall(_REF.sub(" ", _URL.sub(" ", text)))) <= 8 for _, text in items
    )
