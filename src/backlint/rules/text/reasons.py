"""Finding a stated reason or problem in a ticket's prose. Pure; shared by several families.

Teams give the why of a change in many words besides "so that": a cause ("because ...",
"since it ...", "otherwise ..."), a purpose ("in order to ...", "to avoid ..."), a problem
statement ("Without X, Y happens", "there is no way to ...", "currently it fails ...",
"... which blocks the release"), a benefit ("this would let us ...", "it would be useful for
...") or an answered issue-form question ("Is your feature request related to a problem?",
"Motivation", "Use case"). A ticket that says any of them states its reason; the rules that ask
for a benefit or an outcome (BL107, BL110, BL304) accept it.

One regular expression pass per text, memoised: the rules asking about the same ticket share it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from backlint.model import Ticket
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose
from backlint.rules.text.util import MAX_CHARS, memo, word_list

#: Verbs that, after "to", say what something is for ("..., to avoid a second login").
PURPOSE_VERBS = (
    r"allow|enable|ensure|avoid|prevent|support|reduce|improve|help|let|simplify|speed\s+up|"
    r"save|protect|facilitate|increase|minimi[sz]e|maximi[sz]e|eliminate|get\s+rid\s+of|"
    r"mirror|comply|keep|guarantee|accommodate|solve|fix|resolve|unblock|mitigate|optimi[sz]e|"
    r"encourage|promote|inform|stay|remain|make\s+(?:sure|it|them|this|things|life)|"
    r"be\s+used|be\s+consistent|align|match|reflect|cut|lower|boost|streamline|spare|stop|"
    r"conform"
)
#: Words that alone state a cause or a problem ("because", "currently", "fails", "cannot").
_WORDS = frozenset(
    word_list(
        "because therefore hence thus otherwise problem problems bug bugs fail fails failed "
        "failing failure failures crash crashes crashed crashing broken bottleneck bottlenecks "
        "painful tedious cumbersome annoying confusing confused misleading counterintuitive "
        "counter-intuitive inconvenient error-prone hacky deprecated dangerous insecure "
        "unnecessary redundant limitation limitations lack lacks lacking missing drawback "
        "drawbacks downside downsides workaround workarounds worried concern concerns concerned "
        "risky prevent prevents blocks blocked blocking blocker manual manually slow slower "
        "slowly slows slowness expensive costly waste wastes wasted wasting overhead harder "
        "difficult difficulty currently unfortunately dislike wrong challenging weird strange "
        "unexpected unexpectedly impossible cannot can't couldn't doesn't didn't isn't aren't "
        "wasn't weren't won't hasn't haven't unable"
    )
)
_STEMS = ("frustrat", "vulnerab", "deficien", "struggl", "inconsisten", "regress")
#: Everything but letters, digits, "'" and "-" becomes a space: the words are what remains.
_PUNCTUATION = str.maketrans({c: " " for c in '!"#$%&()*+,./:;<=>?@[\\]^_`{|}~'})
# Not "want to avoid", "need to reduce": those say what is wanted, not what it is for.
_NOT_WANT = ("want", "wants", "need", "needs", "like", "able", "have", "has", "wish", "try")
_SUBJECT = r"(?:i|we|you|they|he|she|it|users?|people|customers?|developers?|the\s+\w+)"
#: (words one of which must be in the text, the phrase): cheap to skip when absent. Each
#: phrase starts with a literal (fast to search for); word starts are checked after.
_PHRASES = (
    (
        ("so", "such", "order"),
        r"(?:so\s+(?:that|as\s+to)|such\s+that|in\s+order\s+(?:to|that|for))\b|"
        rf"so\s+{_SUBJECT}\s+(?:then\s+|also\s+|now\s+)?(?:can|could|will|would|won't|"
        r"don't|do\s+not|no\s+longer|are|is|get|may|might|needs?|must|should|has|have)\b",
    ),
    (
        ("due", "result", "way", "leading", "resulting", "having", "needing", "since"),
        r"(?:due\s+to|as\s+a\s+result|that\s+way|leading\s+to|resulting\s+in|"
        r"(?:without|instead\s+of)\s+(?:having|needing)\s+to|since\s+(?:it|this|that|these|"
        r"those|there|we|they|i|you|users?|people|most|many))\b",
    ),
    (
        ("without",),
        r"without\s+(?:this|it|that|which|these|them|such)\b",
    ),
    (
        (
            "block",
            "prevent",
            "make",
            "cause",
            "means",
            "lead",
            "result",
            "break",
            "force",
            "hurt",
            "slow",
            "cost",
            "waste",
            "confuse",
        ),
        r"(?:which|this|that|it)\s+(?:blocks?|prevents?|makes?|causes?|means|leads?\s+to|"
        r"results?\s+in|breaks?|forces?|hurts?|slows?|costs?|wastes?|confuses?)\b",
    ),
    (
        ("would", "will", "could", "might", "can", "should", "may"),
        r"(?:this|it|that|which|doing\s+so)\s+(?:would|will|could|can|should|might|may)\s+"
        r"(?:also\s+|really\s+|greatly\s+|then\s+)?(?:help|allow|enable|let|make|save|avoid|"
        r"prevent|reduce|improve|speed|simplify|benefit|fix|solve|address|remove|eliminate|"
        r"give|ensure|unblock|unlock)\b|"
        r"(?:would|will|could)\s+(?:\w+ly\s+)?(?:help|allow|enable|let\s+(?:me|us|users?|"
        r"people)|save|avoid|prevent|reduce|improve|simplify|benefit|eliminate|unblock)\b|"
        r"(?:would|could|might)\s+(?:also\s+)?be\s+(?:very\s+|really\s+|extremely\s+|"
        r"super\s+|so\s+|much\s+|quite\s+|a\s+lot\s+)?(?:useful|helpful|nice|great|handy|"
        r"convenient|beneficial|valuable|easier|simpler|better|faster|cleaner|safer|good|"
        r"awesome|cool|ideal|preferable|more\s+\w+)\b|"
        r"(?:that|which)\s+(?:i|we|you|they|users?)\s+can\b",
    ),
    (
        (
            "useful",
            "helpful",
            "needed",
            "necessary",
            "required",
            "important",
            "essential",
            "crucial",
            "critical",
            "valuable",
            "beneficial",
        ),
        r"(?:useful|helpful|needed|necessary|required|important|essential|crucial|critical|"
        r"valuable|beneficial)\s+(?:for|when|because|if)\b",
    ),
    (
        (
            "goal",
            "reason",
            "purpose",
            "motivation",
            "rationale",
            "aim",
            "inten",
            "idea",
            "point",
            "benefit",
            "advantage",
            "problem",
            "issue",
            "challenge",
            "concern",
            "need",
        ),
        r"the\s+(?:main\s+|primary\s+|real\s+|only\s+)?(?:goal|reason|purpose|motivation|"
        r"rationale|aim|intent|intention|idea|point|benefit|advantage|problem|issue|challenge|"
        r"concern|need)s?\b(?:\s+(?:of|for|behind|here|with)\b[^.\n]{0,60}?)?\s+"
        r"(?:is|are|was)\b|for\s+(?:[\w-]+\s+){0,4}?purposes?\b",
    ),
    (
        ("use", "context", "why"),
        r"(?:my|our|a|one|the|typical|common|main)\s+use[\s-]?cases?\b|for\s+context\b|"
        r"(?:reason|context|motivation)\s+(?:as\s+to\s+|for\s+)?why\b|"
        r"why\s+(?:we|i|you|they|users?)\s+(?:want|need|would)\b",
    ),
    (("to",), rf"to\s+(?:{PURPOSE_VERBS})\b"),
    (
        (
            "accessib",
            "performance",
            "usability",
            "reliab",
            "security",
            "stability",
            "speed",
            "latency",
            "readab",
            "discoverab",
            "memory",
            "throughput",
        ),
        r"(?:improv|increas|enhanc|boost|reduc|lower|speed\s+up)\w*\s+(?:[\w-]+\s+){0,3}?"
        r"(?:accessibility|performance|usability|reliability|security|stability|speed|latency|"
        r"readability|discoverability|memory|throughput)\b",
    ),
    (
        ("by",),
        r"by\s+\w+ing\b[^.\n]{0,120}?,\s*(?:we|i|you|they|users?|it|this)\s+"
        r"(?:can|could|will|would)\b",
    ),
)
#: Phrases that count only at the start of a sentence ("Without it, ...", "So let's ...").
_OPENERS = (
    (("without",), r"without\s+(?!\w+ing\b)[^.\n]{3,80},"),
    (("so",), r"so\s*,?\s+(?:let's|we|i)\b"),
)
_PROBLEM_PHRASES = (
    (
        ("not", "no", "nor"),
        r"(?:can\s+not|could\s+not|not\s+able\s+to|no\s+way\s+(?:to|of)|"
        r"there\s+(?:is|are|was|were)\s+no|there's\s+no|nor\s+is\s+there|no\s+longer|"
        r"(?:does|did|is|are|was|were|will|has|have|may|might)\s+not)\b|'s\s+not\b|"
        r"(?:i|we|you|they|users?|people|it|this)\s+(?:do|does|did)(?:n't|\s+not)\b",
    ),
    (
        ("to", "moment", "now", "present", "spent", "too", "error", "exception"),
        r"(?:forced|have|has|had|hard)\s+to\b|at\s+the\s+moment\b|right\s+now\b|"
        r"at\s+present\b|as\s+of\s+now\b|spent\s+(?:too\s+long|hours|a\s+lot)\b|"
        r"too\s+(?:hard|slow|difficult|complex|complicated|long|many|much|small|large|big|"
        r"verbose|noisy)\b|errors?\s+(?:when|if|while|on|in|with)\b|"
        r"(?:throws?|raises?|gives?|returns?|gets?|got|getting|see|shows?)\s+(?:an?\s+|the\s+|"
        r"this\s+|following\s+)?(?:\w+\s+)?(?:error|exception)\b",
    ),
)
_PROBLEM_OPENERS = ((("today",), r"today\b"),)


def _compiled(table: tuple[tuple[tuple[str, ...], str], ...]) -> tuple:
    return tuple((keys, re.compile(pattern)) for keys, pattern in table)


_BENEFITS = _compiled(_PHRASES)
_BENEFIT_OPENERS = _compiled(_OPENERS)
_PROBLEMS = _compiled(_PROBLEM_PHRASES)
_PROBLEM_STARTS = _compiled(_PROBLEM_OPENERS)
_APOSTROPHES = str.maketrans("\u2019\u2018", "''")


#: Headings and issue-form questions under which the author states the why.
_HEADING = lazy(
    r"^(?:[\w\s]{0,30}\b(?:motivation|rationale)\b|steps\s+to\s+reproduce|repro\b|"
    r"actual\s+(?:behaviou?r|result)|observed\s+behaviou?r|is\s+your\s+(?:feature\s+)?(?:request|proposal|idea|enhancement)\s+related\s+to\s+a\s+"
    r"problem|motivation|why\b|problem\b|the\s+problem|background|context|use[\s-]?cases?|"
    r"rationale|justification|purpose|goals?\b|objectives?\b|benefits?\b|business\s+value|"
    r"value\b|impact\b|who\s+(?:will|would)\s+benefit|what\s+problem|pain\s+points?|"
    r"current\s+(?:behaviou?r|situation|state|limitations?|problem)|describe\s+the\s+problem|"
    r"pitch|reason)",
    re.IGNORECASE,
)
_HEADING_LINE = lazy(r"^\s*(?:#{1,6}\s*)?[*_]*\s*(?P<text>[^\n]{2,100}?)\s*[*_:]*\s*$")
_NO_ANSWER = lazy(
    r"^\W*(?:no\s+response|n/?a|none|no|-+|tbd|todo|\.\.\.|_+|"
    r"a\s+clear\s+and\s+concise\s+description\b.*|ex\.\s.*|e\.g\.\s.*)\W*$",
    re.IGNORECASE,
)
_FENCE = lazy(r"^\s*(?:```|~~~)")


def reason_in(text: str, problems: bool = True) -> str | None:
    """The words of ``text`` that state a reason or (unless ``problems`` is false: in
    acceptance criteria "if the file does not exist" is a condition) a problem, else None."""
    return _reason_in(text[:MAX_CHARS].lower().translate(_APOSTROPHES), problems)


@memo
def _reason_in(text: str, problems: bool) -> str | None:
    if "because" in text:
        return "because"
    found = _first(text, _BENEFITS, _word_start) or _first(text, _BENEFIT_OPENERS, _opens)
    if found or not problems:
        return found
    tokens = frozenset(text.translate(_PUNCTUATION).split())
    hit = _WORDS & tokens or {token for token in tokens if token.startswith(_STEMS)}
    if hit:
        return min(hit)
    return _first(text, _PROBLEMS, _word_start) or _first(text, _PROBLEM_STARTS, _opens)


def _first(text: str, table: tuple, where: Callable[[str, int], bool]) -> str | None:
    """The first phrase of ``table`` found in ``text`` at a place ``where`` accepts."""
    for keys, pattern in table:
        if any(key in text for key in keys):
            for found in pattern.finditer(text):
                if where(text, found.start()) and not _wanted(text, found):
                    return found.group(0).strip()
    return None


def _word_start(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "'-")


def _opens(text: str, at: int) -> bool:
    """Whether ``at`` starts a sentence (or a line)."""
    before = text[max(0, at - 3) : at].rstrip(" \t")
    return not before or before[-1] in ".!?:\n"


def _wanted(text: str, found: re.Match[str]) -> bool:
    """Whether a "to <verb>" match follows a want ("we want to avoid"): not a reason."""
    if not found.group(0).startswith("to"):
        return False
    before = text[max(0, found.start() - 8) : found.start()].split()
    return bool(before) and before[-1] in _NOT_WANT


@memo
def answered_reason_heading(body: str) -> str | None:
    """The heading or issue-form question about the why that has a real answer under it."""
    lines = body[:MAX_CHARS].splitlines()
    for index, line in enumerate(lines):
        if not _may_name_reason(line):
            continue  # the cheap look: most lines start with no heading word
        match = _HEADING_LINE.match(line)
        if not match or not _HEADING.match(match.group("text")):
            continue
        text = match.group("text")
        marked = line.lstrip().startswith(("#", "*", "_")) or line.rstrip(" *_").endswith(
            ("?", ":")
        )
        if not (marked or (len(text.split()) <= 6 and not text.endswith((".", ",")))):
            continue
        if _answered(lines[index + 1 : index + 12]):
            return text.split("?")[0].rstrip(" :.")
    return None


#: The words a heading of :data:`_HEADING` can start with ("motivation" and "rationale" may
#: come later in it).
_HEADING_STARTS = (
    *("steps", "repro", "actual", "observed", "is", "motivation", "why", "problem", "the"),
    *("background", "context", "use", "rationale", "justification", "purpose", "goal"),
    *("objective", "benefit", "business", "value", "impact", "who", "what", "pain"),
    *("current", "describe", "pitch", "reason"),
)
#: What the heading line's pattern lets stand before the heading's words (ASCII white space
#: as ``\s`` reads it, ``#``, ``*``, ``_``).
_LEAD = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f#*_"


def _may_name_reason(line: str) -> bool:
    """False only when ``line`` cannot be a heading of :data:`_HEADING`: its first word (after
    the marks a heading line may start with) is none of :data:`_HEADING_STARTS` and it does
    not hold "motivation" or "rationale". Text that is not ASCII is always read in full."""
    if not line.isascii():
        return True
    low = line.lower()
    if "motivation" in low or "rationale" in low:
        return True
    return low.lstrip(_LEAD).startswith(_HEADING_STARTS)


def _answered(following: list[str]) -> bool:
    for line in following:
        stripped = line.strip()
        if not stripped or _FENCE.match(stripped):
            continue
        if stripped.startswith("#") or _NO_ANSWER.match(stripped):
            return False
        return len(stripped.split()) >= 3
    return False


_QUOTE = lazy(r"^[ \t]*>[ \t]?", re.MULTILINE)


@memo
def _ticket_reason(title: str, body: str) -> str | None:
    if ">" in body:  # a quoted request is still the request
        body = _QUOTE.sub("", body)
    return answered_reason_heading(body) or reason_in(title + "\n" + prose(body))


def stated_reason(ticket: Ticket) -> str | None:
    """The words of ``ticket`` (title, prose, answered headings) that say why, else None."""
    return _ticket_reason(ticket.title, ticket.body)
