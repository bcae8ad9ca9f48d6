"""Reading user stories and job stories out of a ticket. Pure; shared by several families.

A user story: "As a <role>, I want <means>, so that <benefit>" (also "I need", "I'd like",
"I want to be able to", "we want", "so I can", "in order to", "because ..."). A job story: "When
<situation>, I want <motivation>, so I can <outcome>". Both may sit in the title or in the first
paragraphs of the body, on one line or spread over several ("*As a* shopper / *I want* ... /
*So that* ...").

The statement is read up to the end of its sentence. The benefit starts at the first reason
marker ("so that", "because", ", allowing ...") or purpose clause ("... data on my sleep to
track my progress"); "to be able to" right after the want is part of the want, and "a way to",
"the system to", "a tool to" say what is wanted, not why. The means is what comes before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlint.model import Ticket
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose_blocks
from backlint.rules.text.reasons import PURPOSE_VERBS
from backlint.rules.text.story_verbs import (
    CLAUSE,
    COMPLEMENT,
    CONTROL,
    INSTRUMENT,
    NOT_ADVERBS,
    OUTCOME,
    PREPOSITIONS,
    RECEIVED,
    THING_DOES,
    THINGS,
    verb_base,
)
from backlint.rules.text.util import lower_set, memo

_ROLE = Folded(
    r"as\s+(?:an?|the|one of the|some|any)\s+(?P<role>[^,.;:\n]{1,80}?)\s*(?:,|;|:|\s-\s|"
    r"(?=\s+(?:i|we)\b))",
)
_ROLE_PLAIN = lazy(
    r"^\s*as\s+(?!(?:soon|well|long|far|much|many|if|of|per|part|such|is|it|described|"
    r"mentioned|discussed|noted|shown|seen|expected|requested|follows)\b)"
    r"(?P<role>[\w][\w -]{0,40}?)\s*,\s*(?=(?:i|we)\b)",
    re.IGNORECASE,
)
_WANT = lazy(
    r"\b(?:i|we)\s*(?:'d|would|really|also|do|shall|do\s*n't|don't|do\s+not)?\s*(?:want|need|"
    r"wish|like|can|could|should\s+be\s+able|must\s+be\s+able|am\s+able|are\s+able|'m\s+able|"
    r"'re\s+able|be\s+able|expect|require|would\s+like|would\s+love|'d\s+love|aim|hope|"
    r"am\s+interested\s+in|'m\s+interested\s+in|"
    r"desire|demand|have\s+to|must|should|will)\b",
    re.IGNORECASE,
)
#: A short "Area:" before the statement, as Jira titles often have ("Ledger history: ...").
_PREFIX = r"(?:[^:\n]{1,40}:\s*)?"
#: The role's own sentence, then the want in the next ("As a nurse, I am swamped. I want ...").
_NEXT_SENTENCE = lazy(r"[^.!?\n]{0,200}[.!?]\s+$")
_I_WANT = lazy(
    rf"^{_PREFIX}\W{{0,3}}i\s*(?:'d\s+like|would\s+like|want|need|wish)\b", re.IGNORECASE
)
_JOB = lazy(
    rf"^{_PREFIX}\s*when\b[^\n]{{3,}}?,\s*(?:i|we)\s+(?:want|need|would\s+like)\b",
    re.IGNORECASE,
)
#: "to be able to" and its kin right after the want belong to the want.
_LEAD = lazy(
    r"^[\s*_:,-]*(?:to\s+)?(?:be\s+able\s+to|have\s+(?:the|an?)\s+(?:ability|option|"
    r"possibility|opportunity|chance|way)\s+to|be\s+allowed\s+to|be\s+given\s+the\s+"
    r"(?:ability|option)\s+to)\s+",
    re.IGNORECASE,
)
_SENTENCE_END = lazy(r"[.!?](?=\s+[A-Z*\"'(\[_]|\s*$)")
_ABBREVIATION = ("e.g", "i.e", "etc", "vs", "approx")
#: Where the benefit starts: a reason marker. Each branch starts with a literal (fast to
#: search for); that it starts a word is checked after (see :func:`_marker`).
_BENEFIT = lazy(
    r"(?:so\s+(?:that|as\s+to|i|we|they|he|she|it|you|the|my|our|their|users?|customers?|"
    r"people|others|everyone)|in\s+order\s+(?:to|that|for)|such\s+that|because|"
    r"since\s+(?:i|we|it|this|they|there|my|our)|"
    r"as\s+(?:this|it|that)\s+(?:will|would|can|could|helps?|allows?|makes?|saves?|lets?)|"
    r"(?:that|which)\s+(?:can|will|could|would)\s+(?:help|support|enable|allow|improve|reduce|"
    r"inform|ensure|prevent|let|save)|"
    r"so\s+(?:[a-z]+\s+){1,2}?(?:can|could|will|would|won't|are\s+able|is\s+able|don't|"
    r"do\s+not|no\s+longer|may|might)|"
    r"for\s+(?:improved|better|faster|easier|easy|quick|quicker|simple|simpler|more|greater|"
    r"increased|reduced|higher|lower|clarity|readability|simplicity|consistency|security|"
    r"performance|convenience|safety|transparency|traceability|compliance|auditing)|"
    r"without\s+(?:having\s+to|the\s+need\s+to|needing\s+to|manually|\w+ing\s+manually))\b|"
    r",\s*(?:so|(?:which|that)\s+(?:will|would|can|could|helps?|allows?|makes?|saves?|lets?|"
    r"enables?|means|gives?)|enabling|allowing|helping|ensuring|making|reducing|improving|"
    r"increasing|saving|letting|preventing|giving|avoiding|minimi[sz]ing|maximi[sz]ing|"
    r"protecting|supporting|facilitating|promoting|resulting|leading|freeing|sparing|keeping|"
    r"eliminating|boosting|lowering|informing|empowering|enhancing|streamlining|speeding|"
    r"contributing|fostering|providing)\b",
    re.IGNORECASE,
)
_GOALS = OUTCOME | {"save", "cut", "speed", "achieve", "gain", "get"}
_BY_DOING = lazy(r"\bby\s+(?=\w+ing\b)", re.IGNORECASE)
_TO = lazy(r"[\s*_:,-]*to\s+(?=\w)", re.IGNORECASE)
_TO_VERB = lazy(r"\bto\s+(?P<verb>[a-z]+)\b", re.IGNORECASE)
_PURPOSE = lazy(rf"(?:{PURPOSE_VERBS})\b", re.IGNORECASE)
_STRONG = lazy(
    r"(?:ensure|avoid|prevent|protect|guarantee|reduce|minimi[sz]e|maximi[sz]e|increase|"
    r"improve|facilitate|eliminate|mitigate|promote|encourage|inform|comply|speed\s+up|save|"
    r"streamline|enable|allow|help|support)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StoryParts:
    """The parts of a story statement; ``form`` is ``user``, ``job``, ``partial`` (a part
    missing), ``want`` (an "I want ..." without role or reason, which may be plain prose) or
    ``none``.

    ``text`` is the candidate text read; ``statement`` the story sentence in it; ``action`` the
    means as its actions are judged (through "use X to ..." to what X is used for).
    """

    form: str
    role: str = ""
    means: str = ""
    benefit: str = ""
    text: str = ""
    statement: str = ""
    action: str = ""


def story_parts(ticket: Ticket) -> StoryParts:
    """The story statement of ``ticket`` (title first, then the opening of the body)."""
    return _parse(ticket.title, ticket.body)


@memo
def _parse(title: str, body: str) -> StoryParts:
    blocks = prose_blocks(body)[:12]
    candidates = [title] + [" ".join(blocks[i : i + 3]) for i in range(len(blocks))]
    partial: StoryParts | None = None
    for text in candidates:
        if not text:
            continue
        job = _JOB.match(text)
        if job:
            return _split("job", "", text, job.start(), job.end())
        role = _role(text) or _ROLE_PLAIN.match(text)
        if (
            role
            and len(role.group("role").split()) <= 10
            and (role.start() < 40 or text[: role.start()].rstrip().endswith((".", ":")))
        ):
            rest = text[role.end() :]
            want = _WANT.search(rest)
            if want and (want.start() < 25 or _NEXT_SENTENCE.match(rest, 0, want.start())):
                at = role.end() + want.end()
                return _split("user", role.group("role"), text, role.start(), at)
            if partial is None or partial.form == "want":
                partial = StoryParts("partial", role.group("role").strip(), "", "", text)
            continue
        want = _I_WANT.match(text)
        if want and (partial is None or partial.form == "want"):
            found = _split("partial", "", text, want.start(), want.end())
            if found.benefit:  # "I want X so that Y": a story without its role
                partial = found
            elif partial is None:  # "I want X": says who wants what, perhaps not a story
                partial = StoryParts("want", "", found.means, "", text, found.statement)
    return partial or StoryParts("none")


def _role(text: str) -> re.Match[str] | None:
    """The first "as a <role>," that starts a word ("has a" does not)."""
    for found in _ROLE.finditer(text):
        if found.start() == 0 or not text[found.start() - 1].isalnum():
            return _ROLE.as_written(text, found)
    return None


def _split(form: str, role: str, text: str, start: int, at: int) -> StoryParts:
    """The parts of the statement whose want ends at ``text[at]``."""
    after = text[at:]
    for end in _SENTENCE_END.finditer(after):
        if not after[: end.start()].lower().endswith(_ABBREVIATION):  # "e.g. Visa" goes on
            after = after[: end.start()]
            break
    statement = text[start : at + len(after)]
    lead = _LEAD.match(after) or _TO.match(after)
    offset = lead.end() if lead else 0
    cut, purpose = _benefit_start(after, offset, direct=lead is None)
    means, gain = after[:cut], after[cut:]
    action = after[offset:cut]
    head = re.match(r"[\s,*_]*(\w+)", action)
    by = _BY_DOING.search(action) if head and head.group(1).lower() in _GOALS else None
    if by and not gain:  # "I want to save time by screening resumes": the goal, then the means
        means, gain, action = action[by.start() :], action[: by.start()], action[by.end() :]
    if purpose:
        head = re.match(r"[\s,*_]*(\w+)", action)
        if head and head.group(1).lower() in INSTRUMENT:  # "use X to <action>"
            more, _ = _benefit_start(gain, 3, direct=False)
            action += gain[:more]
    return StoryParts(
        form,
        role.strip(),
        means.strip(" ,.;*_:"),
        _benefit_text(gain),
        text,
        statement,
        action.strip(" ,.;*_:"),
    )


def _benefit_text(gain: str) -> str:
    return re.sub(r"^[\s,;*_-]*(?:so\s+that|in\s+order\s+to|because)?[\s,*_]*", "", gain).strip(
        " ,.;*_"
    )


def _benefit_start(after: str, offset: int, direct: bool) -> tuple[int, bool]:
    """Where the benefit starts in ``after`` (its length if none), and whether it is a
    purpose clause ("to <verb> ...") rather than a marker ("so that", "because").

    ``direct``: the want has no "to" ("I want the system to ..."), so its first "to <verb>"
    may be the want's own infinitive."""
    limit = len(after)
    for marker in _BENEFIT.finditer(after, offset + 1):
        at = marker.start()
        if after[at] == "," or not (after[at - 1].isalnum() or after[at - 1] in "'-"):
            limit = at
            break
    first = direct
    for found in _TO_VERB.finditer(after, offset, limit):
        if _is_purpose(after, found, first):
            return found.start(), True
        first = False
    return limit, False


def _is_purpose(after: str, found: re.Match[str], complement_first: bool) -> bool:
    """Whether "to <verb>" at ``found`` says what the wanted thing is for."""
    verb = found.group("verb").lower()
    if verb.endswith("ing"):
        return False  # "prior to deciding": a preposition
    if verb == "be":
        tail = after[found.end() : found.end() + 10].lower()
        if not tail.lstrip().startswith(("able", "used")):
            return False  # "the data to be encrypted": a complement of the want
    elif verb_base(verb) is None and not _PURPOSE.match(after, found.start("verb")):
        return False  # "access to the data": a preposition
    before = re.findall(r"[\w'-]+|,", after[: found.start()])
    lowered = [w.lower() for w in before]
    if lowered and lowered[-1] == ",":
        return True  # "..., to advocate for funding": a purpose after a comma
    strong = _STRONG.match(after, found.start("verb")) is not None
    if not strong and not CLAUSE.isdisjoint(lowered):
        return False  # "links that visitors use to reach": the clause's own purpose
    while lowered and lowered[-1].endswith("ly") and lowered[-1] not in NOT_ADVERBS:
        lowered.pop()  # "and possibly to replicate"
    last = lowered[-1] if lowered else ""
    if last in COMPLEMENT:
        return False
    if last in THINGS:  # "tools to monitor bias": what is wanted, unless a verb governs them
        head = next((w for w in lowered if w != "to"), "")
        if complement_first or verb_base(head) is None or not strong:
            return False
    window = [verb_base(w) or w for w in lowered[-5:]]
    if "," not in window and any(w in CONTROL for w in window[:-1]):
        return False  # "allow users to edit", "have ALFRED to remind me"
    if complement_first:  # "I want the loader to include X": the want, unless X is received
        words = [w for w in lowered if w != ","]
        cut = next((i for i, w in enumerate(words) if w in PREPOSITIONS), len(words))
        if cut and words[cut - 1] in RECEIVED and verb not in THING_DOES:
            return True  # "data on my runs to track progress", not "the report to include"
        return strong and (cut < len(words) or len(words) > 4)
    return True


def is_story(ticket: Ticket, story_labels: tuple[str, ...] | list[str]) -> bool:
    """A story by kind, or by a label such as ``story`` / ``user story`` on any other kind."""
    if ticket.kind == "story":
        return True
    if not ticket.labels:
        return False
    wanted = lower_set(tuple(story_labels))
    return any(label.lower() in wanted for label in ticket.labels)


def written_as_story(ticket: Ticket) -> bool:
    """True when the ticket states a role and a want (user story) or is a job story."""
    return story_parts(ticket).form in ("user", "job")
