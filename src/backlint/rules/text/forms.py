"""The parts of an issue body: headings, issue-form prompts and their answers. Pure; no I/O.

Issue forms and templates (GitHub's "Describe the solution you'd like", TensorFlow's "### Issue
Type", Jira's "Steps to reproduce:") say what each part of a body is. :func:`parts` splits a
normalised body at headings, form prompts and known labels and tells each part's kind:

* ``env`` - versions, platform, system information, form check boxes;
* ``log`` - logs, stack traces, output;
* ``repro`` - steps or code to reproduce;
* ``want`` - the expected, desired or proposed behaviour, the solution asked for;
* ``problem`` - the current behaviour, the problem, the motivation, alternatives;
* ``verify`` - how to verify or test the change;
* ``story`` - a "User story" section; ``other`` - anything else.

Each part keeps its prose, its code blocks (fenced blocks that are neither logs nor sentences;
a fenced block of sentences, as some forms fence every answer, is prose) and the lengths of its
runs of list items. :func:`reported_as_bug` reads a form's own answer to "Issue type".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.rules.text.document import document
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import MAX_CHARS, WORD, memo, word_list

_FENCE = lazy(r"^\s*(```|~~~)")
_LIST = lazy(r"^\s*(?:[-*+]|\d+[.)]|[a-z][.)])\s+(?P<box>\[[ xX]\]\s*)?(?P<text>\S.*)$")
#: Issue-form prompts: a line that is only the question or label of a form field.
_FORM_PROMPT = lazy(
    r"^\W*(?:describe|please\s+(?:describe|provide|leave|explain|share|include|add|make)\b.*[.?:]$|"
    r"is\s+your\s+(?:feature|request)|what\s+(?:is|are|was|would|should|problem|happens|did)|"
    r"who\s+will|will\s+this|any\s+other|are\s+you\s+willing|do\s+you\s+want|which\s+versions?|"
    r"additional\s+(?:context|info)|have\s+you|did\s+this|steps\s+to|to\s+reproduce|"
    r"(?:expected|actual|current|proposed|suggested|desired)\s+(?:behaviou?r|result|outcome|"
    r"solution|change|api)|motivation|alternatives?|system\s+info|environment|"
    r"feature\s+request|(?:issue\s+)?type|a\s+clear\s+and\s+concise\s+description)\b",
    re.IGNORECASE,
)
#: The words a form prompt starts with (a cheap look before the pattern above).
_PROMPT_STARTS = frozenset(
    word_list(
        "describe please is what who will any are do which additional have did steps to "
        "expected actual current proposed suggested desired motivation alternative "
        "alternatives system environment feature issue type a"
    )
)
#: What a part of the body is about, from its heading or form prompt (first match wins).
_PART_KINDS = (
    (
        "verify",
        r"^(?:to\s+verify|how\s+to\s+(?:verify|test|check)|verification(?:\s+steps)?|verify|"
        r"test\s+plan|testing(?:\s+steps)?)$",
    ),
    (
        "env",
        r"version|system\s+info|environment|platform|\bos\b|browser|device|compiler|cuda|gpu|"
        r"bazel|python|\bsource\b|custom\s+code|reproduced\s+the\s+bug|willing\s+to|extensions|"
        r"\bmodes\b|checklist|code\s+of\s+conduct|searched|prerequisite|hardware|\bmemory\b|"
        r"\bcpus?\b|issue\s+type|^type$",
    ),
    ("log", r"\blogs?\b|trace|\boutput\b|stack|console|error\s+message"),
    ("repro", r"reproduc|\bsteps\b"),
    ("story", r"user\s+stor|^stor(?:y|ies)$"),
    (
        "want",
        r"expected|desired|proposed|proposal|suggest|solution|describe\s+the\s+feature|"
        r"feature\s+you'?d\s+like|would\s+like|will\s+this\s+change|what\s+you\s+want",
    ),
    ("problem", r"problem|motivation|\bwhy\b|current|actual|background|context|alternative|benef"),
)
_PART_PATTERNS = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _PART_KINDS)
_LOG_LINE = lazy(
    r"^\s*(?:at\s+[\w$.<>]+\(|\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\[[\w.:-]+\]\s|\d\d:\d\d:\d\d|"
    r"[\w.]*(?:Exception|Error)\b|Traceback|File \"|Caused by|\.\.\. \d+ more|-{3,}>|"
    r"(?:DEBUG|INFO|WARN|WARNING|ERROR|FATAL|TRACE|E|W|I)\b[\s:]|\d+\s*\|)"
)
#: A list item that is a form's "Key: value" answer ("- OS: Windows 11"), not a wanted thing.
_ENV_ITEM = lazy(r"[\w .()/-]{1,40}:\s*\S*$")
_CODE_CHARS = lazy(r"[{}();=<>\[\]$#@|\\]")


@dataclass(frozen=True, slots=True)
class Part:
    """A part of the body under one heading or form prompt."""

    kind: str
    text: str
    code: tuple[str, ...]
    lists: tuple[int, ...]


@lru_cache(maxsize=1024)
def _kind(title: str) -> str:
    for kind, pattern in _PART_PATTERNS:
        if pattern.search(title):
            return kind
    return "other"


def _prompt(line: str) -> tuple[str, str] | None:
    """(title, text) when ``line`` starts a new part: a heading, a form prompt, or a short
    label of a known kind ("Logs:", "Expected result: ...")."""
    stripped = line.strip().strip("*_")
    if line.lstrip().startswith("#"):
        return stripped.lstrip("#").strip(), ""
    if len(stripped) > 100 or _LIST.match(line):
        return None
    head, colon, rest = stripped.partition(":")
    words = stripped.split(None, 1)  # none for "** **": emphasis around nothing
    first = words[0].strip("*_:?.").lower() if words else ""
    if first in _PROMPT_STARTS and _FORM_PROMPT.match(stripped):
        return (head, rest.strip()) if colon and rest.strip() else (stripped, "")
    if colon and len(head) <= 40 and "/" not in head and _kind(head) != "other":
        return head, rest.strip()
    return None


def _is_prose(block: list[str]) -> bool:
    """A fenced block of sentences (some issue forms fence every answer)."""
    lines = [line.strip() for line in block if line.strip()]
    joined = " ".join(lines)
    words = len(WORD.findall(joined))
    if words < 8 or words < 5 * len(lines) or any(_LOG_LINE.match(line) for line in lines):
        return False  # sentences run five words a line or more; a tree or table does not
    return len(_CODE_CHARS.findall(joined)) <= words // 20


def _is_log(block: list[str]) -> bool:
    lines = [line for line in block if line.strip()]
    return not lines or sum(1 for line in lines if _LOG_LINE.match(line)) * 3 >= len(lines)


@memo
def parts(body: str) -> tuple[Part, ...]:
    """The body's parts, in order (see the module's docstring for the kinds)."""
    parts: list[Part] = []
    kind, text, code, lists = "other", [], [], []
    run = 0
    fenced: list[str] | None = None

    def close() -> None:
        nonlocal run
        if run:
            lists.append(run)
        run = 0

    def flush(next_kind: str) -> None:
        nonlocal kind, text, code, lists
        close()
        if text or code or lists:
            parts.append(Part(kind, "\n".join(text), tuple(code), tuple(lists)))
        kind, text, code, lists = next_kind, [], [], []

    for line in body[:MAX_CHARS].splitlines():
        if ("```" in line or "~~~" in line) and _FENCE.match(line):  # cheap look first
            if fenced is None:
                fenced = []
            else:
                if _is_prose(fenced):
                    text.extend(["", *fenced, ""])
                elif not _is_log(fenced):
                    code.append("\n".join(fenced))
                fenced = None
            continue
        if fenced is not None:
            fenced.append(line)
            continue
        prompt = _prompt(line)
        if prompt:
            flush(_kind(prompt[0]))
            if prompt[1]:  # an answer on the prompt's line is the whole answer
                text.append(prompt[1])
                flush("other")
            continue
        item = _LIST.match(line)
        if item:
            if not item.group("box") and not _ENV_ITEM.match(item["text"]):
                run += 1
            text.append(item.group("text"))
        elif line.strip():
            close()
            text.append(line)
        elif kind == "env" and any(text):
            flush("other")  # a form's version or platform answer is one paragraph
        else:
            text.append("")
    flush("other")
    return tuple(parts)


# --- bug reports under another label --------------------------------------------------------

_TYPE_PROMPT = lazy(
    r"^\W*(?:issue\s+type|type|kind|do\s+you\s+want\s+to\s+request\s+a\s+feature\s+or\s+report\s+"
    r"a\s+bug)\W*?(?::\s*(?P<inline>\S.*))?$",
    re.IGNORECASE,
)
_BUG_ANSWER = lazy(r"bug|build|install|performance|documentation|question|support", re.I)
_FEATURE_ANSWER = lazy(r"feature|enhancement|request|improvement", re.IGNORECASE)
_BROKEN_TITLE = Folded(
    r"\b(?:crash(?:es|ed|ing)?|segfaults?|segmentation\s+fault|not\s+working|doesn'?t\s+work|"
    r"does\s+not\s+work|stopped\s+working|no\s+longer\s+works?|is\s+broken|regression|"
    r"fails?\s+(?:to|when|with|on)|hangs?|freezes|memory\s+leak|assertion\s+failed)\b|"
    r"^\W*\[[^\]]*\bbug\b[^\]]*\]|\b(?:error|exception)\s*:",
)


_STEPS = Folded(
    r"^\W*steps\s+to\s+reproduce\b[^\n]{0,20}\n(?:\s*\n)*\s*(?:1[.)]|[-*+])\s+\S",
    re.MULTILINE,
)


@memo
def reported_as_bug(title: str, body: str) -> bool:
    """True when the report's own form says it is a bug (or a build problem, a question), it
    lists steps to reproduce, or its title says something is broken."""
    read = document(body)
    if _BROKEN_TITLE.search(title) or _STEPS.search(read.head, lowered=read.head_lower):
        return True
    if "ype" not in body and "report a bug" not in body:
        return False
    lines = [line.strip() for line in body[:2000].splitlines() if line.strip()]
    for index, line in enumerate(lines):
        match = _TYPE_PROMPT.match(line) if len(line) < 80 else None
        if match and (match.group("inline") or index + 1 < len(lines)):
            answer = match.group("inline") or lines[index + 1]
            return bool(_BUG_ANSWER.search(answer)) and not _FEATURE_ANSWER.search(answer)
    return False
