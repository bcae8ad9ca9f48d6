"""Ticket text → the word stems the duplicate search compares.

Pure functions, no I/O. :func:`normalise_tokens` drops code, URLs, HTML comments, Markdown syntax
and issue-template boilerplate (:func:`clean_text`), lower-cases the words, removes stop words and
lightly stems what is left (:func:`stem`), mapping everyday synonyms to one stem
(:data:`CONCEPTS`), so "Payments failing" and "payment fails" share their stems.
"""

from __future__ import annotations

import re

_FENCED = re.compile(
    r"^\s*(```|~~~|\{code[^}]*\}|\{noformat\}).*?^\s*(```|~~~|\{code\}|\{noformat\})", re.M | re.S
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A word that is code, not prose: it holds "/", "@", "\\", "_", "=", "<", ">", "{", "}" or "|",
# is a dotted name ("org.example.Foo", "setup.py"), a call ("get("), or a command-line flag:
# URLs, e-mail addresses, paths, stack frames, identifiers. Each branch scans a word once
# (possessive), and only from word starts, so the pass stays linear in the text's length.
_CODE_WORD = re.compile(
    r"(?<!\S)(?:[^\s/@\\_=<>{}|]*+[/@\\_=<>{}|]"
    r"|[^\s.]*+\.(?<=\w\.)(?=[A-Za-z])"
    r"|[^\s(]*+\((?<=\w\()"
    r"|--?(?=[A-Za-z]))\S*"
)
#: Only the start of a long body is read: it says what the ticket is about; the rest is logs.
MAX_CHARS = 6000
_INLINE_CODE = re.compile(r"`[^`\n]*`|\{\{[^}\n]*\}\}")
_VERSION = re.compile(r"\d\.\d")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
# Words, and numbers of two or three digits (versions such as "iOS 17"); longer numbers are
# order ids, ticket numbers and timestamps, which differ between two reports of one problem.
_TOKEN = re.compile(r"[a-z][a-z0-9]+|\b[0-9]{2,3}\b")

#: English function words plus words every issue template uses; they say nothing about which
#: problem a ticket is about.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each either else even ever every few for from further get gets got had hadn
    has hasn have haven having he her here hers herself him himself his how however i if in into
    is isn it its itself just let like ll may me might more most much must mustn my myself need
    needs no nor not now of off on once one only or other our ours ourselves out over own per
    please re same shall she should shouldn so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon us ve very
    via was wasn way we were weren what when where whether which while who whom why will with
    within without won would wouldn yes yet you your yours yourself yourselves etc eg ie thanks
    thank hi hello anyone someone something anything really still already always never sometimes
    able two three four five six seven eight nine ten first second third last
    describe description clear concise expected expect behavior behaviour actual steps step
    reproduce reproduction additional context screenshot screenshots environment version versions
    information info issue issues bug bugs problem report reported summary details detail
    current currently tried try trying instead happen happens happened see seen using use used
    """.split()  # noqa: SIM905 - a word list reads better as text
)

#: Stems that ticket writers use for the same thing, mapped to one. Kept to everyday ticket
#: vocabulary (reporting, UI actions, failure words); domain words are left to the IDF weights.
CONCEPTS = {
    "mail": "email",
    "e-mail": "email",
    "payment": "pay",
    "paid": "pay",
    "sent": "send",
    "receiv": "send",
    "arriv": "send",
    "iphon": "ios",
    "ipad": "ios",
    "unresponsiv": "noth",
    "freez": "noth",
    "hang": "noth",
    "stuck": "noth",
    "effect": "noth",
    "respond": "noth",
    "purchas": "order",
    "buy": "order",
    "finish": "complet",
    "tap": "click",
    "press": "click",
    "shopper": "customer",
    "buyer": "customer",
    "client": "customer",
    "display": "show",
    "shown": "show",
    "appear": "show",
    "visibl": "show",
    "screen": "page",
    "signin": "login",
    "logon": "login",
    "remov": "delet",
    "error": "fail",
    "failur": "fail",
    "broken": "fail",
    "break": "fail",
    "crash": "fail",
    "exception": "fail",
    "lag": "slow",
    "latency": "slow",
    "basket": "cart",
}

_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ize"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ies", "y"),
    ("ied", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
    ("ly", ""),
)
_DOUBLE_END = re.compile(r"([bdfgmnprt])\1$")


def stem(word: str) -> str:
    """A light suffix-stripping stem: plurals, -ed, -ing, -ly and a few derivations.

    Light on purpose: "payments"/"payment", "failing"/"failed"/"fails" meet at "fail", while
    words are not cut so far that unrelated ones collide.
    """
    if len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed"):
                base = _DOUBLE_END.sub(r"\1", base)
                if base.endswith("e") and len(base) > 3:
                    base = base[:-1]
            elif suffix == "es":
                base = base[:-1]
            return base.rstrip("e") if len(base) > 4 and base.endswith("e") else base
    return word.rstrip("e") if len(word) > 4 and word.endswith("e") else word


def clean_text(text: str) -> str:
    """Prose only: no code blocks, inline code, HTML comments or tags, no code words (URLs,
    e-mail addresses, paths, identifiers), no table rows, and no line that is mostly code (log
    lines, stack traces, compiler flags), which two unrelated tickets can share verbatim."""
    if "```" in text or "~~~" in text or "{code" in text or "{noformat" in text:
        text = _FENCED.sub(" ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", _HTML_COMMENT.sub(" ", text))
    if "`" in text or "{{" in text:
        text = _INLINE_CODE.sub(" ", text)
    lines = []
    for line in text.splitlines():
        if line.count("|") >= 2 and _VERSION.search(line):
            continue  # a table row of versions (extensions, system info): data, not prose
        prose, removed = _CODE_WORD.subn(" ", line)
        # A line of which more than 40 % of the words are code is a log or trace line.
        if removed >= 3 and removed * 5 > (line.count(" ") + 1) * 2:
            continue
        lines.append(prose)
    return "\n".join(lines)


_STEMS: dict[str, str] = {}


def stem_word(word: str) -> str:
    """The stem of a lower-case ``word`` with everyday synonyms merged (:data:`CONCEPTS`)."""
    found = _STEMS.get(word)
    if found is not None:
        return found
    stemmed = stem(word)
    stemmed = CONCEPTS.get(stemmed, stemmed)
    if len(_STEMS) < 500_000:  # a cache, bounded so odd input cannot grow it for ever
        _STEMS[word] = stemmed
    return stemmed


def normalise_tokens(text: str, limit: int = 400) -> list[str]:
    """The stems of ``text`` in order of first appearance, without stop words; at most
    ``limit`` distinct stems (the start of a ticket says what it is about)."""
    words = dict.fromkeys(_TOKEN.findall(clean_text(text[:MAX_CHARS]).lower()))
    get = _STEMS.get
    stems = dict.fromkeys(get(word) or stem_word(word) for word in words if word not in STOP_WORDS)
    return [token for token in stems if token not in STOP_WORDS][:limit]
