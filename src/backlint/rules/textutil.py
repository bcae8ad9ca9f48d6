"""Pure text helpers the rules share: sections, checklists, prose, sentences, terms. No I/O.

Rules read :attr:`Ticket.body`, the normalised Markdown-like text every tracker adapter produces.
The helpers here turn it into what a person would read as prose (no code blocks, logs, stack
traces, URLs or tables), split that into sentences, and find listed words in it. The engine runs
one rule over every ticket before the next rule, so the costly helpers are memoised on the body
text (a pure cache: same text, same answer) to keep all rules together well above 5,000
tickets per second.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?([A-Za-z][\w /&'-]{1,60}?)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*:?\s*$"
)
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[( |x|X)\]\s*(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CACHE = 50_000
T = TypeVar("T")
#: Text past this many characters (in practice: pasted logs and dumps) is not read.
MAX_CHARS = 10_000


def memo(func: Callable[..., T]) -> Callable[..., T]:
    """Memoise a pure text function for the life of the process, up to ``_CACHE`` entries.

    Unlike an LRU cache it keeps the first entries once full instead of evicting: the engine
    runs each rule over every ticket before the next rule, so on a backlog larger than the
    cache an LRU would evict every body just before the next rule asks for it again.
    """
    store: dict[Any, T] = {}

    @functools.wraps(func)
    def wrapper(*args: Any) -> T:
        try:
            return store[args]
        except KeyError:
            value = func(*args)
            if len(store) < _CACHE:
                store[args] = value
            return value

    wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
    return wrapper


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a ticket body: a Markdown heading or a line like ``**Expected:**``."""

    title: str
    text: str


@memo
def strip_code(body: str) -> str:
    """The body without fenced code blocks (logs, stack traces, code), cut at MAX_CHARS."""
    body = body[:MAX_CHARS]
    if "```" not in body and "~~~" not in body:
        return body
    out, fenced = [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return "\n".join(out)


@memo
def _sections(body: str) -> tuple[Section, ...]:
    result: list[Section] = []
    title, lines = "", []
    for line in strip_code(body).splitlines():
        heading = _HEADING.match(line) if line.startswith("#") else None
        label = None
        if not heading and line.rstrip().endswith((":", ":**", ":__")) and len(line) < 70:
            label = _BOLD_LABEL.match(line)
        if heading or label:
            if title or any(part.strip() for part in lines):
                result.append(Section(title, "\n".join(lines).strip()))
            title = (heading.group(2) if heading else label.group(1)).strip(" *_:").strip()
            lines = []
        else:
            lines.append(line)
    if title or any(part.strip() for part in lines):
        result.append(Section(title, "\n".join(lines).strip()))
    return tuple(result)


def sections(body: str) -> list[Section]:
    """Split a body into sections at headings and at short label lines ending in a colon."""
    return list(_sections(body))


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def find_section(body: str, *patterns: str) -> Section | None:
    """The first section whose title matches one of the regex ``patterns`` (case-insensitive)."""
    compiled = _compiled(patterns)
    for section in _sections(body):
        if section.title and any(p.search(section.title) for p in compiled):
            return section
    return None


def checkboxes(text: str) -> list[tuple[bool, str]]:
    """``(checked, text)`` for every task-list item."""
    if "[" not in text:
        return []
    found = []
    for line in text.splitlines():
        match = _CHECKBOX.match(line)
        if match:
            found.append((match.group(1).lower() == "x", match.group(2).strip()))
    return found


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, apostrophes and hyphens; numbers are not words)."""
    return WORD.findall(text)


@memo
def word_count(text: str) -> int:
    """How many words ``text`` has (read up to MAX_CHARS)."""
    return len(WORD.findall(text[:MAX_CHARS]))


@memo
def lowered(text: str) -> str:
    """``text`` lower-cased (memoised: several rules look for phrases in the same body)."""
    return text.lower()


# --- prose: what a person reads as sentences -------------------------------------------------

_URL = re.compile(r"\(?\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LOG_LINE = re.compile(
    r"^\s*(?:at\s+[\w$.<>]+\(|\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\[?\d\d:\d\d:\d\d|"
    r"(?:[\w.]+(?:Exception|Error))(?::|\s*$)|Traceback \(|File \"|Caused by:|\.\.\. \d+ more|"
    r"(?:DEBUG|INFO|WARN|WARNING|ERROR|FATAL|TRACE)\b|\$ |>>> |[\w./-]+\.\w+:\d+)"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s*)?|\d+[.)]\s+)")


@memo
def prose_blocks(body: str) -> tuple[str, ...]:
    """The body's prose as blocks (paragraphs, list items, headings), one string each.

    Dropped: fenced code, log and stack-trace lines, table rows, quoted lines, URLs and inline
    code. Hard-wrapped paragraph lines are joined, so one sentence over three lines stays one.
    """
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in strip_code(body).splitlines():
        stripped = line.strip()
        if (
            not stripped
            or stripped.startswith(("|", ">", "<!--"))
            or " | " in stripped
            or _LOG_LINE.match(stripped)
        ):
            flush()
            continue
        if stripped.startswith("#") or _LIST_ITEM.match(line) or len(stripped) < 3:
            flush()
            blocks.append(_LIST_ITEM.sub("", stripped).lstrip("# "))
            continue
        current.append(stripped)
    flush()
    cleaned = []
    for block in blocks:
        if "://" in block or "www." in block:
            block = _URL.sub(" ", block)
        if "`" in block:
            block = _INLINE_CODE.sub(" ", block)
        block = block.strip()
        if block:
            cleaned.append(block)
    return tuple(cleaned)


def prose(body: str) -> str:
    """The body's prose as one string, one block per line."""
    return "\n".join(prose_blocks(body))


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "no", "fig", "mr", "ms", "dr"]
)


@memo
def sentences(body: str) -> tuple[str, ...]:
    """The sentences of the body's prose (blocks split at ``.``, ``!`` and ``?``)."""
    found: list[str] = []
    for block in prose_blocks(body):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            last = block[start : match.start()].rsplit(None, 1)
            if last and last[-1].lower().rstrip(".") in _ABBREVIATIONS:
                continue  # "e.g. Visa" does not end a sentence
            found.append(block[start : match.end()].strip())
            start = match.end()
        if block[start:].strip():
            found.append(block[start:].strip())
    return tuple(found)


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """A syllable estimate good enough for readability scores (vowel groups, silent e)."""
    lowered = word.lower()
    count = len(_VOWEL_GROUPS.findall(lowered))
    if lowered.endswith("e") and not lowered.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def reading_ease(text_sentences: Iterable[str]) -> tuple[float, int]:
    """Flesch reading ease over ``text_sentences`` and the word count it was computed on.

    206.835 - 1.015 * words/sentence - 84.6 * syllables/word; above 60 is plain English, below
    30 is hard (academic papers), below 0 is very hard. Syllables are counted over the whole
    text as vowel groups minus word-final silent "e", which is close enough for a threshold.
    """
    n_sentences = n_words = 0
    parts = []
    for sentence in text_sentences:
        found = WORD.findall(sentence)
        if found:
            n_sentences += 1
            n_words += len(found)
            parts.append(" ".join(found))
    if not n_words:
        return 100.0, 0
    text = " ".join(parts).lower() + " "
    silent = text.count("e ") - text.count("le ") - text.count("ee ") - text.count("ye ")
    n_syllables = max(n_words, len(_VOWEL_GROUPS.findall(text)) - max(0, silent))
    return 206.835 - 1.015 * n_words / n_sentences - 84.6 * n_syllables / n_words, n_words


_CODE_CHARS = frozenset("/\\=_{}()<>[]|#@$*`~^")
_DIGITS = frozenset("0123456789")


def _codeish(token: str) -> bool:
    chars = set(token)
    return bool(
        chars & _CODE_CHARS
        or len([c for c in token if c in _DIGITS]) >= 2
        or "." in token[1:-1]
        or "::" in token
        or token.startswith("-")
    )


def is_prose(sentence: str) -> bool:
    """False for text that is really code, a log, a command line or data pasted without a
    fence: more than one token in ten carries code punctuation, a dotted name or numbers."""
    tokens = sentence.split()
    if not tokens:
        return False
    chars = set(sentence)
    if not (chars & _CODE_CHARS or chars & _DIGITS or "." in sentence[:-1] or "-" in chars):
        return True  # plain words only
    return sum(1 for token in tokens if _codeish(token)) * 10 <= len(tokens)


@memo
def longest_sentence(body: str) -> tuple[str, int, int]:
    """(longest prose sentence, its word count, word count of all sentences) of a body.

    Sentences that are really unfenced code or logs (see :func:`is_prose`) are skipped.
    """
    found = sentences(body)
    counts = [len(sentence.split()) for sentence in found]
    total = sum(counts)
    for count, sentence in sorted(zip(counts, found, strict=True), reverse=True):
        if is_prose(sentence):
            return sentence, count, total
    return "", 0, total


@memo
def body_reading_ease(body: str) -> float:
    """Flesch reading ease of the body's prose."""
    return reading_ease(s for s in sentences(body) if is_prose(s))[0]


# --- terms: listed words and phrases found in text -------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")


@memo
def _tokens(text: str) -> tuple[tuple[str, ...], str]:
    """Lower-case tokens ("and/or", "user-friendly" and "don't" stay whole) and them joined."""
    found = tuple(_TOKEN.findall(text.lower()))
    return found, " " + " ".join(found) + " "


@lru_cache(maxsize=256)
def _term_index(terms: tuple[str, ...]) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    singles: dict[str, str] = {}
    phrases: list[tuple[str, str]] = []
    for term in terms:
        tokens = _TOKEN.findall(term.lower())
        if len(tokens) == 1:
            singles.setdefault(tokens[0], term.lower())
        elif tokens:
            phrases.append((" " + " ".join(tokens) + " ", term.lower()))
    return singles, tuple(phrases)


def find_terms(text: str, terms: Iterable[str]) -> list[str]:
    """The distinct ``terms`` found in ``text`` as whole words, lower-cased, in text order.

    Matching is on word tokens, so "etc" finds "etc." but not "/etc/hosts", and "user
    friendly" finds "user-friendly" only if that spelling is listed too.
    """
    singles, phrases = _term_index(tuple(terms))
    tokens, joined = _tokens(text)
    hits: dict[str, int] = {}
    for position, token in enumerate(tokens):
        if token in singles and singles[token] not in hits:
            hits[singles[token]] = position
    for needle, term in phrases:
        at = joined.find(needle)
        if at >= 0 and term not in hits:
            hits[term] = joined.count(" ", 0, at)
    return sorted(hits, key=hits.__getitem__)


def quote(items: Iterable[str], limit: int = 5) -> str:
    """``"a", "b" and "c"`` for messages; at most ``limit`` items, then "and N more"."""
    listed = [f'"{item}"' for item in items]
    if len(listed) > limit:
        listed = [*listed[:limit], f"{len(listed) - limit} more"]
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def article(noun: str) -> str:
    """``a story`` / ``an epic``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 word`` / ``3 words``."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


# --- labelled parts of a body: headings and "Label:" lines ------------------------------------


@memo
def label_lines(body: str) -> tuple[str, ...]:
    """Heading-like lines of the body, lower-cased and stripped of ``#``, ``*``, ``:``.

    A heading, a short line ending in a colon, a short line followed by text (a bold label that
    lost its markup), or the ``Label:`` part of a ``Label: text`` line.
    """
    found = []
    for line in strip_code(body).splitlines():
        stripped = line.strip()
        if not stripped or len(stripped) > 90:
            continue
        head = stripped.lstrip("#").strip(" *_")
        if stripped.startswith("#"):
            found.append(head.rstrip(":").lower())
        elif ":" in head[:60]:
            label = head.split(":", 1)[0].strip(" *_")
            if label and len(label.split()) <= 8:
                found.append(label.lower())
        elif len(head.split()) <= 8 and not head.endswith((".", ",", ";")):
            found.append(head.lower())
    return tuple(found)


def has_label(body: str, pattern: re.Pattern[str]) -> bool:
    """True when a heading-like line of ``body`` starts with ``pattern``."""
    return any(pattern.match(line) for line in label_lines(body))


_CRITERIA_HEADING = re.compile(
    r"acceptance\s*criteri|^\s*a\.?c\.?\s*$|definition\s+of\s+done|^\s*dod\s*$", re.I
)


@memo
def without_criteria_body(body: str) -> str:
    """The body without its acceptance-criteria section (judged by the BL2xx rules)."""
    lowered = body.lower()
    if "criteri" not in lowered and "done" not in lowered and "ac" not in lowered:
        return body
    kept = [p.text for p in _sections(body) if not (p.title and _CRITERIA_HEADING.search(p.title))]
    return "\n\n".join(kept)


def without_criteria(body: str) -> str:
    """The body's prose without its acceptance-criteria section."""
    return prose(without_criteria_body(body))


def word_list(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A word list written as one string: ``word_list("a b c")``, ``word_list("x y|z", "|")``."""
    return tuple(item.strip() for item in text.split(sep) if item.strip())
