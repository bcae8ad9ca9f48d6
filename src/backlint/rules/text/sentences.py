"""How prose is read: blocks, sentences, log lines, code pasted without a fence.

The algorithms behind :class:`~backlint.rules.text.document.Document`'s prose, which it runs
once per text; rules read them through the document or :mod:`backlint.rules.text.prose`.
Prose leaves out what nobody reads as sentences: fenced code, logs and stack traces, tables,
quotes, URLs and inline code. Pure; no I/O, no memo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backlint.rules.text.lines import WORD
from backlint.rules.text.patterns import lazy

_URL = lazy(r"\(?\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_INLINE_CODE = lazy(r"`[^`\n]*`")
_LOG_LINE = lazy(
    r"^\s*(?:at\s+[\w$.<>]+\(|\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\[?\d\d:\d\d:\d\d|"
    r"(?:[\w.]+(?:Exception|Error))(?::|\s*$)|Traceback \(|File \"|Caused by:|\.\.\. \d+ more|"
    r"(?:DEBUG|INFO|WARN|WARNING|ERROR|FATAL|TRACE)\b|\$ |>>> |[\w./-]+\.\w+:\d+)"
)
#: The same, found anywhere in a body (one pass): ``LOG_LINES.finditer(body)``.
LOG_LINES = lazy(_LOG_LINE.pattern, re.MULTILINE)


def is_log_line(line: str) -> bool:
    """True for a line of a log or a stack trace ("at x.y(...)", "ERROR ...", "File \"..."),
    given without its leading spaces."""
    return bool(_LOG_LINE.match(line))


_LIST_ITEM = lazy(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s*)?|\d+[.)]\s+)")


def blocks_of(lines: list[str]) -> tuple[str, ...]:
    """The prose of code-free ``lines`` as blocks (paragraphs, list items, headings).

    Dropped: log and stack-trace lines, table rows, quoted lines, URLs and inline code.
    Hard-wrapped paragraph lines are joined, so one sentence over three lines stays one.
    """
    blocks: list[str] = []
    current: list[str] = []
    log_line, list_item = _LOG_LINE.match, _LIST_ITEM.match
    for line in lines:
        stripped = line.strip()
        if (
            not stripped
            or stripped.startswith(("|", ">", "<!--"))
            or " | " in stripped
            or log_line(stripped)
        ):
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        short = len(stripped) < 30 and stripped[-1].isalnum() and len(stripped.split()) <= 2
        # a list item's first mark is its first character that is not white space
        item = (stripped[0] in "-*+" or stripped[0].isdigit()) and list_item(line)
        if stripped.startswith("#") or len(stripped) < 3 or item or short:
            # a heading, a list item, or a one- or two-word line: a list that lost its markup
            if current:
                blocks.append(" ".join(current))
                current = []
            blocks.append(_LIST_ITEM.sub("", stripped, count=1).lstrip("# "))
            continue
        current.append(stripped)
    if current:
        blocks.append(" ".join(current))
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


#: The end of a sentence: a full stop before a capital, or, in text written all in lower
#: case, after a word of three letters or more ("properly. this ticket"); the second is
#: looked for only in long pieces (see :func:`sentences_of`).
_SENTENCE_END = lazy(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_LOWER_SENTENCE_END = lazy(r"(?<=[a-z]{3}[.!?])\s+(?=[a-z])")
#: Pieces longer than this many characters are split again at lower-case sentence ends.
_LONG_PIECE = 160
_ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "no", "fig", "mr", "ms", "dr"]
)


def _is_abbreviation(block: str, start: int, end: int) -> bool:
    """True when the word just before ``end`` is an abbreviation ("e.g. Visa")."""
    tail = block[max(start, end - 12) : end]
    last = tail.rsplit(None, 1)
    if len(tail) == 12 and len(last) == 1 and end - 12 > start:
        last = block[start:end].rsplit(None, 1)  # a word longer than the window: read it all
    return bool(last) and last[-1].lower().rstrip(".") in _ABBREVIATIONS


def sentences_of(blocks: tuple[str, ...]) -> tuple[str, ...]:
    """The sentences of prose ``blocks`` (split at ``.``, ``!`` and ``?``)."""
    found: list[str] = []
    for block in blocks:
        if "." not in block and "!" not in block and "?" not in block:
            found.append(block)  # one sentence, or none ended (a heading, a list item)
            continue
        for piece in _split(block, _SENTENCE_END):
            if len(piece) > _LONG_PIECE and ". " in piece:
                found += _split(piece, _LOWER_SENTENCE_END)
            else:
                found.append(piece)
    return tuple(found)


def _split(block: str, ends: re.Pattern[str]) -> list[str]:
    """``block`` split at the matches of ``ends`` that do not follow an abbreviation."""
    found = []
    start = 0
    for match in ends.finditer(block):
        if _is_abbreviation(block, start, match.start()):
            continue  # "e.g. Visa" does not end a sentence
        found.append(block[start : match.end()].strip())
        start = match.end()
    if block[start:].strip():
        found.append(block[start:].strip())
    return found


_VOWEL_GROUPS = lazy(r"[aeiouy]+")


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
    listed = list(text_sentences)
    # Words never span a line break, so one pass over the joined text finds the same words.
    found = WORD.findall("\n".join(listed))
    if not found:
        return 100.0, 0
    n_words = len(found)
    n_sentences = sum(1 for sentence in listed if WORD.search(sentence))
    text = " ".join(found).lower() + " "
    silent = text.count("e ") - text.count("le ") - text.count("ee ") - text.count("ye ")
    n_syllables = max(n_words, len(_VOWEL_GROUPS.findall(text)) - max(0, silent))
    return 206.835 - 1.015 * n_words / n_sentences - 84.6 * n_syllables / n_words, n_words


_CODE_CHARS = frozenset("/\\=_{}()<>[]|#@$*`~^")
_DIGITS = frozenset("0123456789")
#: Anything that can make a token look like code; a sentence without any is plain words.
_SUSPECT = lazy(r"[/\\=_{}()<>\[\]|#@$*`~^0-9-]|\.(?=.)", re.DOTALL)


def _codeish(token: str) -> bool:
    """Code punctuation, two or more digits, a dot inside (a dotted name, a version, a file
    name), "::", or a leading "-" (a command-line option)."""
    return bool(
        not _CODE_CHARS.isdisjoint(token)
        or sum(token.count(digit) for digit in _DIGITS if digit in token) >= 2
        or "." in token[1:-1]
        or "::" in token
        or token.startswith("-")
    )


#: One of these after a plain word ("word,", "done.") leaves it a plain word.
_TRAILING = frozenset(",.;:!?'\"")


def is_prose(sentence: str) -> bool:
    """False for text that is really code, a log, a command line or data pasted without a
    fence: more than one token in ten carries code punctuation, a dotted name or numbers."""
    tokens = sentence.split()
    if not tokens:
        return False
    if not _SUSPECT.search(sentence):
        return True  # plain words only
    codeish = 0
    for token in tokens:
        if token.isalpha() or (token[-1] in _TRAILING and token[:-1].isalpha()):
            continue  # a plain word, perhaps with one punctuation mark after it
        if _codeish(token):
            codeish += 1
            if codeish * 10 > len(tokens):
                return False
    return True
