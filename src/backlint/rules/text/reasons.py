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

from backlint.model import Ticket
from backlint.rules.text.prose import prose
from backlint.rules.text.util import MAX_CHARS, memo

#: Verbs that, after "to", say what something is for ("..., to avoid a second login").
PURPOSE_VERBS = (
    r"allow|enable|ensure|avoid|prevent|support|reduce|improve|help|let|simplify|speed\s+up|"
    r"save|protect|facilitate|increase|minimi[sz]e|maximi[sz]e|eliminate|get\s+rid\s+of|"
    r"mirror|comply|keep|guarantee|accommodate|solve|fix|resolve|unblock|mitigate|optimi[sz]e|"
    r"encourage|promote|inform|stay|remain|make\s+(?:sure|it|them|this|things|life)|"
    r"be\s+used|be\s+consistent|align|match|reflect|cut|lower|boost|streamline|spare|stop|"
    r"conform"
)
# Not "want to avoid", "need to reduce": those say what is wanted, not what it is for.
_NOT_WANT = "".join(
    rf"(?<!\b{word}\s)"
    for word in ("want", "wants", "need", "needs", "like", "able", "have", "has", "wish", "try")
)
_PHRASES = (
    # causes and consequences
    r"\bso\s+that\b|\bso\s+as\s+to\b|\bsuch\s+that\b|\bin\s+order\s+(?:to|that|for)\b",
    r"\bso\s+(?:i|we|you|they|he|she|it|users?|people|customers?|developers?|the\s+\w+)\s+"
    r"(?:then\s+|also\s+|now\s+)?(?:can|could|will|would|won't|don't|do\s+not|no\s+longer|"
    r"are|is|get|may|might|needs?|must|should|has|have)\b",
    r"\bbecause\b|\bdue\s+to\b|\bas\s+a\s+result\b|\btherefore\b|\bhence\b|\bthus\b|"
    r"\botherwise\b|\bthat\s+way\b|\bleading\s+to\b|\bresulting\s+in\b|"
    r"\b(?:without|instead\s+of)\s+(?:having|needing)\s+to\b|(?:^|[.!?]\s+)so\s*,?\s+(?:let's|we|i)\b",
    r"\bsince\s+(?:it|this|that|these|those|there|we|they|i|you|users?|people|most|many)\b",
    r"(?:^|[.!?:]\s+)without\s+(?!\w+ing\b)[^.\n]{3,80},|\bwithout\s+(?:this|it|that|which|"
    r"these|them|such)\b",
    r"\b(?:which|this|that|it)\s+(?:blocks?|prevents?|makes?|causes?|means|leads?\s+to|"
    r"results?\s+in|breaks?|forces?|hurts?|slows?|costs?|wastes?|confuses?)\b",
    # benefits
    r"\b(?:this|it|that|which|doing\s+so)\s+(?:would|will|could|can|should|might|may)\s+"
    r"(?:also\s+|really\s+|greatly\s+|then\s+)?(?:help|allow|enable|let|make|save|avoid|"
    r"prevent|reduce|improve|speed|simplify|benefit|fix|solve|address|remove|eliminate|give|"
    r"ensure|unblock|unlock)\b",
    r"\b(?:would|will|could)\s+(?:\w+ly\s+)?(?:help|allow|enable|let\s+(?:me|us|users?|people)|save|"
    r"avoid|prevent|reduce|improve|simplify|benefit|eliminate|unblock)\b",
    r"\b(?:would|could|might)\s+(?:also\s+)?be\s+(?:very\s+|really\s+|extremely\s+|super\s+|so\s+|much\s+|quite\s+|a\s+lot\s+)?"
    r"(?:useful|helpful|nice|great|handy|convenient|beneficial|valuable|easier|simpler|better|"
    r"faster|cleaner|safer|good|awesome|cool|ideal|preferable|more\s+\w+)\b",
    r"\b(?:useful|helpful|needed|necessary|required|important|essential|crucial|critical|"
    r"valuable|beneficial)\s+(?:for|when|because|if)\b",
    r"\bthe\s+(?:main\s+|primary\s+|real\s+|only\s+)?(?:goal|reason|purpose|motivation|"
    r"rationale|aim|intent|intention|idea|point|benefit|advantage|problem|issue|challenge|"
    r"concern|need)s?\b(?:\s+(?:of|for|behind|here|with)\b[^.\n]{0,60}?)?\s+(?:is|are|was)\b",
    r"\b(?:my|our|a|one|the|typical|common|main)\s+use[\s-]?cases?\b|\bfor\s+context\b|"
    r"\b(?:reason|context|motivation)\s+(?:as\s+to\s+|for\s+)?why\b|"
    r"\bwhy\s+(?:we|i|you|they|users?)\s+(?:want|need|would)\b",
    rf"{_NOT_WANT}\bto\s+(?:{PURPOSE_VERBS})\b",
    r"\bfor\s+(?:[\w-]+\s+){0,4}?purposes?\b|\b(?:that|which)\s+(?:i|we|you|they|users?)\s+can\b",
    # outcomes named as the change wanted ("improve the accessibility of comments")
    r"\b(?:improv|increas|enhanc|boost|reduc|lower|speed\s+up)\w*\s+(?:[\w-]+\s+){0,3}?"
    r"(?:accessibility|performance|usability|reliability|security|stability|speed|latency|"
    r"readability|discoverability|memory|throughput)\b",
    r"\bby\s+\w+ing\b[^.\n]{0,120}?,\s*(?:we|i|you|they|users?|it|this)\s+(?:can|could|will|would)\b",
)
_PROBLEMS = (
    r"\b(?:can't|cannot|can\s+not|couldn't|could\s+not|unable\s+to|not\s+able\s+to|"
    r"impossible|no\s+way\s+(?:to|of)|there\s+(?:is|are|was|were)\s+no|there's\s+no|"
    r"there\s+isn't|there\s+aren't|nor\s+is\s+there|no\s+longer)\b",
    r"\b(?:does\s+not|doesn't|did\s+not|didn't|is\s+not|isn't|are\s+not|aren't|was\s+not|"
    r"wasn't|were\s+not|weren't|won't|will\s+not|has\s+not|hasn't|have\s+not|haven't|'s\s+not|"
    r"may\s+not|might\s+not)\b|\b(?:i|we|you|they|users?|people|it|this)\s+(?:do|does|did)"
    r"(?:n't|\s+not)\b",
    r"\b(?:problems?|bugs?|fails?|failed|failing|failures?|crash(?:es|ed|ing)?|broken|"
    r"bottlenecks?|painful|tedious|cumbersome|annoying|frustrat\w+|confusing|confused|"
    r"misleading|counter-?intuitive|inconvenient|error[\s-]prone|hacky|deprecated|dangerous|"
    r"insecure|vulnerab\w+|unnecessary|redundant|limitations?|lacks?|lacking|missing|"
    r"deficienc\w+|drawbacks?|downsides?|workarounds?|worried|concerns?|concerned|risky|"
    r"prevents?|blocks|blocked|blocking|blocker|forced\s+to|have\s+to|has\s+to|had\s+to|"
    r"manual(?:ly)?|slow(?:er|ly|s|ness)?|expensive|costly|wast(?:e[sd]?|ing)|overhead|"
    r"harder|difficult|difficulty|hard\s+to|currently|at\s+the\s+moment|right\s+now|"
    r"at\s+present|as\s+of\s+now|unfortunately|struggl\w+|inconsisten\w+|"
    r"spent\s+(?:too\s+long|hours|a\s+lot)|dislike|wrong|(?:^|[.!?]\s+)today|challenging|"
    r"regress\w*|weird|strange|unexpected(?:ly)?|too\s+(?:hard|slow|difficult|complex|"
    r"complicated|long|many|much|small|large|big|verbose|noisy)|errors?\s+(?:when|if|while|on|in|"
    r"with)|(?:throws?|raises?|gives?|returns?|gets?|got|getting|see|shows?)\s+(?:an?\s+|the\s+|"
    r"this\s+|following\s+)?(?:\w+\s+)?(?:error|exception))\b",
)
_REASON = re.compile(
    "|".join(f"(?:{p})" for p in _PHRASES + _PROBLEMS), re.IGNORECASE | re.MULTILINE
)
_BENEFIT = re.compile("|".join(f"(?:{p})" for p in _PHRASES), re.IGNORECASE | re.MULTILINE)

#: Headings and issue-form questions under which the author states the why.
_HEADING = re.compile(
    r"^(?:[\w\s]{0,30}\b(?:motivation|rationale)\b|steps\s+to\s+reproduce|repro\b|"
    r"actual\s+(?:behaviou?r|result)|observed\s+behaviou?r|is\s+your\s+(?:feature\s+)?(?:request|proposal|idea|enhancement)\s+related\s+to\s+a\s+"
    r"problem|motivation|why\b|problem\b|the\s+problem|background|context|use[\s-]?cases?|"
    r"rationale|justification|purpose|goals?\b|objectives?\b|benefits?\b|business\s+value|"
    r"value\b|impact\b|who\s+(?:will|would)\s+benefit|what\s+problem|pain\s+points?|"
    r"current\s+(?:behaviou?r|situation|state|limitations?|problem)|describe\s+the\s+problem|"
    r"pitch|reason)",
    re.IGNORECASE,
)
_HEADING_LINE = re.compile(r"^\s*(?:#{1,6}\s*)?[*_]*\s*(?P<text>[^\n]{2,100}?)\s*[*_:]*\s*$")
_NO_ANSWER = re.compile(
    r"^\W*(?:no\s+response|n/?a|none|no|-+|tbd|todo|\.\.\.|_+|"
    r"a\s+clear\s+and\s+concise\s+description\b.*|ex\.\s.*|e\.g\.\s.*)\W*$",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^\s*(?:```|~~~)")


def reason_in(text: str, problems: bool = True) -> str | None:
    """The words of ``text`` that state a reason or (unless ``problems`` is false: in
    acceptance criteria "if the file does not exist" is a condition) a problem, else None."""
    found = (_REASON if problems else _BENEFIT).search(text[:MAX_CHARS])
    return found.group(0).strip() if found else None


@memo
def answered_reason_heading(body: str) -> str | None:
    """The heading or issue-form question about the why that has a real answer under it."""
    lines = body[:MAX_CHARS].splitlines()
    for index, line in enumerate(lines):
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
            return text.rstrip(" ?:.")
    return None


def _answered(following: list[str]) -> bool:
    for line in following:
        stripped = line.strip()
        if not stripped or _FENCE.match(stripped):
            continue
        if stripped.startswith("#") or _NO_ANSWER.match(stripped):
            return False
        return len(stripped.split()) >= 3
    return False


_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)


@memo
def _ticket_reason(title: str, body: str) -> str | None:
    if ">" in body:  # a quoted request is still the request
        body = _QUOTE.sub("", body)
    return answered_reason_heading(body) or reason_in(title + "\n" + prose(body))


def stated_reason(ticket: Ticket) -> str | None:
    """The words of ``ticket`` (title, prose, answered headings) that say why, else None."""
    return _ticket_reason(ticket.title, ticket.body)
