"""Error signatures: the error messages a ticket quotes, normalised so two reports of one failure
match.

Pure functions, no I/O. Two reports of the same failure rarely share their wording, but they
often paste the same error: ``TypeError: Unable to serialize 64.0 to JSON`` in one and ``... 1024.0
...`` in the other. :func:`error_signatures` finds, in the title and the start of the body, the
message after an exception class (``KeyError:``, ``java.lang.IllegalStateException:``), after
``error:`` / ``fatal:`` / ``Assertion failed``, and quoted messages that say something failed; it
lower-cases them and replaces numbers, quoted values and paths, which differ from report to
report, with placeholders. A message of fewer than four words ("KeyError: 'min'") is too generic
to tell one failure from another and is not a signature.
"""

from __future__ import annotations

import re

from backlint.rules.duplicates.stems import MAX_CHARS, STOP_WORDS

# An exception class, or "error:", "fatal:", "panic:", "Assertion failed": the message follows it
# to the end of the line. Every marker of a chained exception ("Error: java.lang.X: Y") counts.
ERROR_MARKER = re.compile(
    r"\b([A-Za-z_$][\w$.]*?(?:Error|Exception|Fault))\b[ \t]*+:?"
    r"|\b(?:error|ERROR|Error|fatal|FATAL|Fatal|panic)[ \t]*+:|\b[Aa]ssertion failed[ \t]*+:?"
)
_MARKER_TEXT = ("rror", "RROR", "xception", "Fault", "atal", "ATAL", "panic", "ssertion")
# A quoted sentence that reports a failure: 'you receive "There was an error submitting ..."'.
_QUOTED = re.compile(
    r"\"([^\"\n]{0,200}?\b(?:error|fail|failed|cannot|can't|unable|invalid|denied|refused|"
    r"missing|unexpected|not found)\b[^\"\n]{0,200})\""
)
_QUOTED_VALUE = re.compile(r"\"[^\"\n]{0,80}\"|'[^'\n]{0,80}'|`[^`\n]{0,80}`")
_PATH = re.compile(r"\S*[/\\]\S*")
_NUMBER = re.compile(r"\b0x[0-9a-f]+\b|\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z][a-z0-9_$.]+|<[a-z]>|#")
#: Words a signature keeps; the rest of a long message is detail.
MAX_WORDS = 12
#: Fewer words than this (placeholders not counted) is too generic to be a signature ...
MIN_WORDS = 4
#: ... and so is one with fewer words than this that are not stop words.
MIN_CONTENT = 3


def _normalise(message: str) -> str | None:
    if message.lstrip().lower().startswith("traceback"):
        return None  # "ValueError Traceback (most recent call last)": a notebook's header
    text = _QUOTED_VALUE.sub(" <q> ", message.lower())
    text = _NUMBER.sub("#", _PATH.sub(" <p> ", text))
    words = []
    for word in _WORD.findall(text.replace("#", " # ")):
        if word != "#" or not words or words[-1] != "#":  # "[2.1 2.5 3.0]" is one value
            words.append(word)
    words = words[:MAX_WORDS]
    if sum(1 for word in words if len(word) > 1 and word[0].isalpha()) < MIN_WORDS:
        return None
    # "'x' object has no attribute 'y'" without its values is every AttributeError.
    if sum(1 for word in words if word[0].isalpha() and word not in STOP_WORDS) < MIN_CONTENT:
        return None
    return " ".join(words)


def error_signatures(title: str, body: str) -> frozenset[str]:
    """The normalised error messages quoted in ``title`` and the start of ``body``."""
    text = f"{title}\n{body[:MAX_CHARS]}"
    # Only lines that can hold a message are searched: one substring test a line is far
    # cheaper than the expression on every word.
    marked = "\n".join(
        line for line in text.splitlines() if any(marker in line for marker in _MARKER_TEXT)
    )
    found = set()
    for match in ERROR_MARKER.finditer(marked):
        end = marked.find("\n", match.end())
        message = marked[match.end() : end if end >= 0 else len(marked)][:300]
        kind = match.group(1) or ""
        signature = _normalise(message)
        if signature:
            found.add(f"{kind.rsplit('.', 1)[-1].lower()}: {signature}" if kind else signature)
    if '"' in text:
        for message in _QUOTED.findall(text):
            signature = _normalise(message)
            if signature:
                found.add(signature)
    return frozenset(found)
