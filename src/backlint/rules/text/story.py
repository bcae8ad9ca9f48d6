"""Reading user stories and job stories out of a ticket. Pure; shared by several families.

A user story: "As a <role>, I want <means>, so that <benefit>" (also "I need", "I can",
"we want", "in order to", "so I can"). A job story: "When <situation>, I want <motivation>, so I
can <outcome>". Both may sit in the title or in the first paragraphs of the body, on one line or
spread over several ("*As a* shopper / *I want* ... / *So that* ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlint.model import Ticket
from backlint.rules.text.prose import prose_blocks
from backlint.rules.text.util import lower_set, memo

_ROLE = re.compile(
    r"\bas\s+(?:an?|the|one of the|some|any)\s+(?P<role>[^,.;:\n]{1,80}?)\s*(?:,|;|:|\s-\s|"
    r"(?=\s+(?:i|we)\b))",
    re.IGNORECASE,
)
_ROLE_PLAIN = re.compile(
    r"^\s*as\s+(?!(?:soon|well|long|far|much|many|if|of|per|part|such|is|it|described|"
    r"mentioned|discussed|noted|shown|seen|expected|requested|follows)\b)"
    r"(?P<role>[\w][\w -]{0,40}?)\s*,\s*(?=(?:i|we)\b)",
    re.IGNORECASE,
)
_WANT = re.compile(
    r"\b(?:i|we)\s*(?:'d|would|really|also|do|shall)?\s*(?:want|need|wish|like|can|could|"
    r"should\s+be\s+able|must\s+be\s+able|am\s+able|are\s+able|expect|require|would\s+like|"
    r"desire|demand|have\s+to|must|should|will)\b",
    re.IGNORECASE,
)
_BENEFIT = re.compile(
    r"(?:\bso\s+that\b|\bso\s+(?:i|we|they|he|she|it|you|the|my|our|their|users?|customers?)\b|"
    r"\bin\s+order\s+(?:to|that|for)\b|\bsuch\s+that\b|,\s*so\b(?:\s+that\b)?|\bto\s+be\s+able\s+to\b|"
    r",\s*(?:which|that)\s+(?:will|would|can|could)\b|,\s*(?:enabling|allowing|helping|"
    r"ensuring|making|reducing|improving|increasing|saving|letting|preventing)\b)",
    re.IGNORECASE,
)
_I_WANT = re.compile(r"^\W{0,3}i\s*(?:'d\s+like|would\s+like|want|need|wish)\b", re.I)
#: A reason given after the story statement ("This is to ...", "Because ...").
REASON = re.compile(
    r"\b(?:because|since|this\s+(?:is|will|would)\s+(?:to|allow|let|enable|help|make)|"
    r"in\s+order\s+to|so\s+(?:that|we|they|it|users?)|to\s+(?:allow|enable|ensure|avoid|"
    r"prevent|support|reduce|improve)|the\s+(?:goal|reason|purpose|motivation)\b)",
    re.IGNORECASE,
)
_JOB = re.compile(r"^\s*when\b[^\n]{3,}?,\s*(?:i|we)\s+(?:want|need|would\s+like)\b", re.I)


@dataclass(frozen=True, slots=True)
class StoryParts:
    """The parts of a story statement; ``form`` is ``user``, ``job``, ``partial`` or ``none``."""

    form: str
    role: str = ""
    means: str = ""
    benefit: str = ""
    text: str = ""


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
            return _with_benefit("job", "", text[job.end() :], text)
        role = _ROLE.search(text) or _ROLE_PLAIN.match(text)
        if (
            role
            and len(role.group("role").split()) <= 10
            and (role.start() < 40 or text[: role.start()].rstrip().endswith((".", ":")))
        ):
            rest = text[role.end() :]
            want = _WANT.search(rest)
            if want and want.start() < 25:
                return _with_benefit("user", role.group("role"), rest[want.end() :], text)
            partial = partial or StoryParts("partial", role.group("role").strip(), "", "", text)
            continue
        want = _I_WANT.match(text)
        if want and partial is None:
            found = _with_benefit("partial", "", text[want.end() :], text)
            if found.benefit:  # "I want X so that Y": a story without its role
                partial = found
    return partial or StoryParts("none")


def _with_benefit(form: str, role: str, after_want: str, text: str) -> StoryParts:
    benefit = _BENEFIT.search(after_want)
    if benefit:
        means, gain = after_want[: benefit.start()], after_want[benefit.end() :]
    else:
        means, gain = after_want, ""
    return StoryParts(form, role.strip(), means.strip(" ,.;"), gain.strip(" ,.;"), text)


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
