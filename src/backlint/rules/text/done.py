"""Whether a request without acceptance criteria still says when it is done. Pure; no I/O.

Most teams outside Scrum, and nearly every open-source project, write no "Acceptance criteria"
section, yet a good request carries its criteria in other forms (:func:`done_signal`):

* an enumerated list of required behaviours, changes or options;
* a code example: the proposed API, configuration, call or before/after code;
* an example of the wanted output ("something like "No forwarded ports ..."", "e.g. `22.0`");
* an answer to an issue form's "Expected behaviour" / "Describe the solution you'd like";
* a sentence that states the wanted behaviour plainly ("The command should accept a
  ``--config`` option", "I'd like the diff to show only the changed words").

A statement of the want does not count when it is vague ("should be seamless", "in a way that
would benefit users", "a more automated flow"), hedged ("we might want to consider ..."),
open-ended ("investigate", "design an interface") or the user-story sentence itself (the need
that criteria refine), nor when the ticket says it is unfinished ("TBD", "please fill in"). A
description written to the user-story template ("As a <role>, I want ...") comes from a team
that keeps criteria apart: only a list, an example or an explicit section counts there.
The parts of the body (form answers, lists, code) come from :mod:`backlint.rules.text.forms`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from backlint.rules.text.forms import parts as _parts
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import MAX_CHARS, WORD, lowered, memo

# --- what the ticket wants, and whether that is stated plainly ------------------------------

_ASK = lazy(
    r"\b(?:should(?:n'?t)?|must(?:n'?t)?|shall|needs?\s+to|has\s+to|have\s+to|ought\s+to|"
    r"will\s+need\s+to|would\s+have\s+to|let'?s\s+(?!see\b)\w+)\b|"
    r"\b(?:i|we)(?:'d|'ll|\s+would|\s+will|\s+really|\s+also|\s+were|\s+was|\s+am|\s+are)?\s+"
    r"(?:like|love|want|need|wish|hope|hoping|expect|expecting|prefer|propose|suggest)\b|"
    r"\bwould\s+(?:like|love)\b|"
    r"\bit(?:'d|\s+would|\s+will|\s+is)\s+be\s+(?:very\s+|really\s+|so\s+|much\s+)?(?:nice|great|"
    r"good|useful|helpful|cool|awesome|handy|better|best|instrumental|valuable|convenient)\s+"
    r"(?:if|to)\b|"
    r"\b(?:is|would|will)\s+it\s+(?:be\s+)?(?:\w+\s+)?(?:possible|accepted|acceptable|ok|okay|"
    r"feasible|unreasonable)\s+"
    r"to\s+\w+|\bwants\s+to\b|\bthis\s+is\s+about\s+\w+ing\b|"
    r"\b(?:we|you|it)\s+(?:can|could)\s+(?:also\s+)?(?:have|add|make|use|provide|support|expose|"
    r"introduce|include|allow|offer|change|replace)\b|\b(?:a\s+)?good\s+idea\s+to\b|"
    r"\bpropos(?:e|ing)\b|\b(?:it'?s|it\s+is)\s+(?:necessary|required|important|essential)\s+to\b|"
    r"\b(?:solution|fix|approach|change\s+needed)\b[^.]{0,40}?"
    r"\b(?:is|would\s+be)\b|"
    r"\b(?:if|whether)\s+(?:we|you|it)\s+(?:can|could)\s+\w+|"
    r"\bcould\s+be\s+(?:fixed|solved|done|achieved|implemented|addressed)\s+by\b|"
    r"\bwould\s+be\s+(?:a\s+)?(?:very\s+|really\s+)?(?:nice|great|useful|helpful|welcome|handy)"
    r"(?:\s+(?:feature|addition|improvement|option|change))?\b|"
    r"\bit'?s\s+possible\s+to\s+\w+|"
    r"\b(?:proposal|suggestion|idea|request|goal|aim|plan|ask|expectation)\s+(?:here\s+)?"
    r"(?:is|was|would\s+be)\s+(?:to|that)\b|"
    r"\bthis\s+(?:story|ticket|issue|item|task|feature(?:\s+request)?|request|cr|pr|change|work|"
    r"epic|proposal|api|setting|option|command|flag|method|function|property)\s+"
    r"(?:is\s+to|will|would|should|\w+s)\b|"
    r"\b(?:please|pls|kindly)\s+\w+|"
    r"\b(?:can|could|would)\s+(?:you|we|it|someone|they)\s+(?:please\s+|also\s+)?(?:add|make|support|"
    r"provide|allow|implement|expose|change|extend|include|let|have)\b",
    re.IGNORECASE,
)
#: A sentence or clause in the imperative ("Add a setting for this."), matched at its start (a
#: "^" alternative in the pattern above would make every search three times slower).
_ASK_IMPERATIVE = lazy(
    r"\W*(?:add|implement|allow|support|remove|provide|create|expose|replace|use|move|rename|show|"
    r"display|enable|disable|extend|introduce|deprecate|split|merge|convert|return|accept|drop|"
    r"delete|let|include|integrate|migrate|upgrade|bump|switch|wrap|generate|emit|document|track|"
    r"pick\s+up|ensure|prevent|avoid|keep|hide|limit|expand|speed\s+up|reduce|increase|"
    r"decrease)\b",
    re.IGNORECASE,
)


def _ask_in(text: str) -> re.Match[str] | None:
    """Where ``text`` (a sentence or a clause) asks for something, if it does."""
    return _ASK_IMPERATIVE.match(text) or _ASK.search(text)


_HEDGES = r"maybe|perhaps|possibly|might|consider(?:ing)?|not\s+sure|probably|hopefully|wonder\w*"
#: Work whose end is open: it finds out what to do rather than doing it.
_OPEN_WORK = (
    r"investigat\w+|explore|research|look\s+into|figure\s+out|design|define|evaluate|assess|"
    r"analy[sz]e|think\s+about|discuss|brainstorm|spike"
)
#: What may not come before a stated want ("we might want to", "investigate what we could").
_HEDGE = lazy(rf"\b(?:{_HEDGES}|{_OPEN_WORK})\b", re.IGNORECASE)
#: Words that leave a stated want without a pass/fail: vague, hedged or open-ended.
_UNCLEAR = lazy(
    r"\b(?:seamless(?:ly)?|smoothly|intuitive(?:ly)?|user[- ]friendly|easy|easier|easily|"
    r"simpler|nicer?|better|improve[ds]?|improvements?|enhance[ds]?|properly|"
    r"appropriate(?:ly)?|efficient(?:ly)?|robust|optimal|fair|somehow|something|some|a\s+few|"
    r"several|various|certain|etc|and\s+so\s+on|in\s+a\s+way\s+that|"
    r"more\s+\w+(?:ed|ful|ble|ive|ent|ant|ic|al|ous|ly)|"
    rf"{_HEDGES}|{_OPEN_WORK})\b",
    re.IGNORECASE,
)
#: Where the statement of the want ends and a reason or description of something else begins.
_ASIDE = lazy(
    r",?\s+(?:which|who|because|since|so\s+that|so\s+(?:i|we|you|they|it)\b|in\s+order\s+to|"
    r"while|whereas|although|though|unlike)\b|\s+-\s+|\s*\(",
    re.IGNORECASE,
)
#: Where one clause of a sentence ends: punctuation, a parenthesis, an aside.
_CLAUSE_SPLIT = lazy(
    r"[;,:]\s|\s[-\u2013]\s|\(|\)|\s+(?:which|who|because|since|so\s+that|in\s+order\s+to|"
    r"while|whereas|although|though|unlike)\b",
    re.IGNORECASE,
)
#: How a want is introduced ("It would be nice to", "it'd be much better to"): not vague itself.
_OPENER = lazy(
    r"\bit(?:'d|\s+would|\s+will|\s+is)\s+be\s+(?:very\s+|really\s+|so\s+|much\s+)?(?:nice|great|"
    r"good|useful|helpful|cool|awesome|handy|better|best|instrumental|valuable|convenient)\s+"
    r"(?:if|to)\b",
    re.IGNORECASE,
)
#: "enhanced to allow range queries": the purpose names the change, the verb is not vague.
_CONCRETE_PURPOSE = lazy(
    r"\b(?:improve|enhance|extend|change|update)[ds]?\s+to\s+(?:allow|support|accept|include|handle|"
    r"provide|show|return|use)\b",
    re.IGNORECASE,
)
#: "As a shopper", "As finance" (not "As soon as", "As well as"): the role of a user story.
_AS_ROLE = (
    r"as\s+(?!(?:soon|well|long|far|of|per|part|such|if|is|it|described|mentioned|discussed|"
    r"noted|shown|expected|requested|follows|mentioned)\b)"
)
_STORY_SENTENCE = lazy(
    rf"^\W*(?:{_AS_ROLE}[^,.]{{1,80}},|when\s+[^,]{{3,}},\s*(?:i|we)\s+(?:want|need))",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = lazy(r"(?<=[.!?])\s+(?=[\W]?[A-Z0-9`\"'])|\n\s*\n|\n(?=\W*[A-Z`])")
_EXAMPLE = lazy(
    r"\b(?:e\.\s?g\.|for\s+example|for\s+instance|such\s+as|something\s+like|like\s+this|"
    r"as\s+an\s+example|example)\b[:,]?[^\n]{0,80}?[\"“'`]\w",
    re.IGNORECASE,
)
#: The ticket says it is unfinished, or that what is wanted was said somewhere unwritten.
_LEFT_OPEN = lazy(
    r"\b(?:tbd|tbc|to\s+be\s+(?:decided|defined|determined|confirmed|discussed|clarified)|"
    r"please\s+fill\s+in|fill\s+in\s+(?:the|your)|todo:|"
    r"(?:per|after|from)\s+(?:the|our|today'?s)\s+(?:call|meeting|chat|conversation|sync)\b)",
    re.IGNORECASE,
)
#: Tags and component prefixes before a title's own words: "[Feature] ", "wallet: ", "RFC: ".
_TITLE_PREFIX = lazy(r"^\W*(?:\[[^\]]*\]\s*)*(?:[\w./ -]{1,30}:\s+)?", re.IGNORECASE)
_IMPERATIVE = lazy(
    r"^(?:please\s+)?(?:don'?t|do\s+not|never|always|add|allow|support|implement|use|remove|provide|create|expose|make|enable|"
    r"disable|show|hide|display|rename|move|replace|change|update|introduce|deprecate|split|merge|"
    r"convert|extend|refactor|document|mark|include|integrate|migrate|upgrade|bump|switch|wrap|"
    r"generate|emit|track|pick\s+up|ensure|prevent|avoid|keep|limit|expand|speed\s+up|reduce|"
    r"increase|decrease|fix|set|return|accept|drop|delete|let|log|print|cache|bring\s+back|"
    r"restore|trigger|fall\s*back|sort|filter|group|align|persist|store|save|load|export|sync|"
    r"detect|warn|validate|check|respect|hono(?:u)?r|preserve|skip|ignore|enforce|adopt|publish|"
    r"port|handle|recogni[sz]e|stop|start|pass|run)\b",
    re.IGNORECASE,
)
#: Words that leave a title's change open ("Allow other parameters", "Support more formats").
_OPEN_TITLE = lazy(r"\b(?:other|more|some|any|various|several)\b(?!\s+than)", re.I)


def _plain_title(title: str) -> bool:
    """True when the title names a change in the imperative ("Add X to Y", "Use one toolbar")
    without vague, hedged or open words."""
    words = _TITLE_PREFIX.sub("", title, count=1)
    return bool(
        _IMPERATIVE.match(words)
        and len(words.split()) >= 3
        and not _UNCLEAR.search(words)
        and not _OPEN_TITLE.search(words)
    )


_TO_VERIFY = lazy(r"^\W*(?:to|how\s+to)\s+(?:verify|test)\b\s*[,:]\s*\S", re.I | re.M)
#: A description written to the user-story template ("As a <role>, I want ...", "When I ...,
#: I want ..."): teams that use it keep the criteria apart, so prose beside it is not criteria.
_STORY_BODY = lazy(
    rf"^\W*(?:{_AS_ROLE}[^\n.]{{1,80}}?[,\n]?\s*(?:i|we)|when\s+(?:i|we)\b[^\n]{{1,80}}?,\s*"
    r"(?:i|we))\s*(?:want|need|would\s+like|'d\s+like|wish|like|can|should)\b",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_ASK = lazy(r"\b(?:should|must|needs?\s+to|please)\b", re.IGNORECASE)


_REFERENCE = lazy(r"https?://\S+|\b[A-Z][A-Z0-9]+-\d+\b|(?<![\w&])#\d+\b")


def _pointer_only(body: str) -> bool:
    """True when the body only points to where the work is specified: a link or a ticket
    reference with a few words ("See <link>", "Discussion here: #123")."""
    if len(body) > 600 or not _REFERENCE.search(body):
        return False
    return len(WORD.findall(_REFERENCE.sub(" ", body))) <= 6


def _plain_answer(text: str) -> bool:
    """True when a sentence of a form's answer ("Expected behaviour", "Describe the solution")
    says what is wanted without vague, hedged or open-ended words."""
    for sentence in _SENTENCE_SPLIT.split(text):
        sentence = " ".join(sentence.split())
        if len(sentence.split()) < 3 or _STORY_SENTENCE.match(sentence):
            continue
        main = _OPENER.sub(" ", _ASIDE.split(sentence, 1)[0])  # "..., which ..." is an aside
        if len(main.split()) >= 3 and not _UNCLEAR.search(main):
            return True
    return False


def _plain_ask(text: str) -> bool:
    """True when a clause of ``text`` asks for something ("X should ...", "I'd like ...",
    "Please add ...") without vague, hedged or open-ended words; user-story sentences are the
    need, not the criteria, and do not count."""
    sentences = [" ".join(sentence.split()) for sentence in _SENTENCE_SPLIT.split(text)]
    joined = "\n".join(sentences)  # one sentence a line: one search finds every want
    starts = list(accumulate((len(sentence) + 1 for sentence in sentences), initial=0))
    asking = {bisect_right(starts, found.start()) - 1 for found in _ASK.finditer(joined)}
    asking |= {index for index, sentence in enumerate(sentences) if _ASK_IMPERATIVE.match(sentence)}
    for index in sorted(asking):
        if _STORY_SENTENCE.match(sentences[index]):
            continue
        for clause in _CLAUSE_SPLIT.split(sentences[index]):
            match = _ask_in(clause)
            if match is None or len(clause.split()) < 3:
                continue
            # a hedge before the want ("we might want to"); any unclear word in what is wanted
            wanted = _CONCRETE_PURPOSE.sub(" ", clause[match.end() :])
            if not _HEDGE.search(clause[: match.start()]) and not _UNCLEAR.search(wanted):
                return True
    return False


_EXAMPLE_WORDS = ("e.g", "e. g", "example", "instance", "such as", "like")
_LEFT_OPEN_WORDS = (
    "tbd",
    "tbc",
    "to be ",
    "fill in",
    "todo:",
    "call",
    "meeting",
    "chat",
    "conv",
    "sync",
)


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


@memo
def done_signal(title: str, body: str) -> str | None:
    """What in the request says when it is done, in a few words; None when nothing does."""
    parts = [part for part in _parts(body) if part.kind not in ("env", "log")]
    text = lowered(body[:MAX_CHARS])  # for cheap looks before the patterns
    if any(run >= 2 for part in parts for run in part.lists if part.kind != "repro"):
        return "a list of what is wanted"
    if any(part.code for part in parts):
        return "a code example"
    if _has(text, _EXAMPLE_WORDS) and any(_EXAMPLE.search(part.text) for part in parts):
        return "an example of what is wanted"
    if any(part.kind == "verify" and len(part.text.split()) >= 3 for part in parts) or (
        "verify" in text and _TO_VERIFY.search(body[:MAX_CHARS])
    ):
        return "how to verify it"
    if _pointer_only(body):
        return "a link to where it is specified"
    if _has(text, _LEFT_OPEN_WORDS) and _LEFT_OPEN.search(body[:MAX_CHARS]):
        return None
    # a form's answer to "Describe the feature" that is only "See above" leaves the rest to say it
    wants = [part for part in parts if part.kind == "want" and len(part.text.split()) >= 4]
    if any(_plain_answer(part.text) for part in wants):
        return "the expected behaviour"
    if _STORY_BODY.search(body[:MAX_CHARS]):
        return None  # written to the user-story template, whose criteria are a list of their own
    asked = [] if wants else [part for part in parts if part.kind in ("other", "problem")]
    if _TITLE_ASK.search(title) and _plain_ask(title):
        return "the wanted behaviour in the title"
    if any(_plain_ask(part.text) for part in asked):
        return "the wanted behaviour"
    if _plain_title(title) and not any(_UNCLEAR.search(part.text) for part in parts):
        return "the wanted change in the title"
    return None
