"""What a person reads as prose in a ticket body: blocks, sentences, readability. Pure; no I/O.

The body is normalised Markdown-like text (every tracker adapter produces it). Prose leaves out
what nobody reads as sentences: fenced code, logs and stack traces, tables, quotes, URLs and
inline code. Every reading here is kept on the body's
:class:`~backlint.rules.text.document.Document`, so the rules that ask for the same body's
sentences share one analysis.
"""

from __future__ import annotations

from backlint.rules.text.document import document
from backlint.rules.text.sentences import (
    LOG_LINES,
    is_log_line,
    is_prose,
    reading_ease,
    syllables,
)
from backlint.rules.text.util import memo, without_criteria_body

__all__ = ["LOG_LINES", "is_log_line", "is_prose", "reading_ease", "syllables"]


def prose_blocks(body: str) -> tuple[str, ...]:
    """The body's prose as blocks (paragraphs, list items, headings), one string each.

    Dropped: fenced code, log and stack-trace lines, table rows, quoted lines, URLs and inline
    code. Hard-wrapped paragraph lines are joined, so one sentence over three lines stays one.
    """
    return document(body).prose_blocks


def prose(body: str) -> str:
    """The body's prose as one string, one block per line."""
    return document(body).prose


def without_criteria(body: str) -> str:
    """The body's prose without its acceptance-criteria section."""
    return prose(without_criteria_body(body))


def sentences(body: str) -> tuple[str, ...]:
    """The sentences of the body's prose (blocks split at ``.``, ``!`` and ``?``)."""
    return document(body).sentences


def longest_sentence(body: str) -> tuple[str, int, int]:
    """(longest prose sentence, its word count, word count of all sentences) of a body.

    Sentences that are really unfenced code or logs (see :func:`is_prose`) are skipped.
    """
    return document(body).longest_sentence


@memo
def run_on(body: str, min_words: int, min_semicolons: int = 2) -> str:
    """The first prose sentence of at least ``min_words`` words that chains
    ``min_semicolons`` or more clauses with semicolons ("...; if ...; if ..."), or ""."""
    if ";" not in body:
        return ""
    for sentence in sentences(body):
        chained = sentence.count(";") >= min_semicolons and len(sentence.split()) >= min_words
        if chained and is_prose(sentence):
            return sentence
    return ""


def body_reading_ease(body: str) -> float:
    """Flesch reading ease of the body's prose."""
    return document(body).reading_ease
