"""Verbs that name an action in a backlog item, for reading stories. Pure data and lookups.

A story's means is a verb phrase ("to export the report"); telling a second action ("and email
it") from a second object ("and the invoice") needs to know which words are verbs. The lists
are base forms; ``-ing`` forms ("adding and removing") are derived. ``NOUN_LIKE`` verbs are as
often nouns in a backlog ("report", "access", "update"): after "and" they count as a verb only
when an object follows ("and report the error", not "and report templates").

:func:`two_actions` judges a means with them (BL111). The word lists at the end tell the story
reader (:mod:`backlint.rules.text.story`) whether a "to <verb>" after the want is part of it
("a way to", "allow users to") or says what it is for ("data on my runs to track progress").
"""

from __future__ import annotations

from functools import lru_cache

from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import word_list

_VERBS = """
accept access account accumulate achieve acknowledge acquire activate adapt add adjust
administer adopt advertise advise advocate aggregate alert align allocate allow alter analyse
analyze
annotate announce anonymise anonymize answer anticipate append apply approve archive arrange
ask assemble assess assign assist associate attach attend audit authenticate authorise
authorize automate avoid back backup balance ban be become benchmark bid bill block book boost
bookmark browse build bulk bump buy calculate calibrate call cancel capture categorise
categorize change charge chat check choose claim clarify classify clean cleanse clear click
clone close cluster collaborate collapse collect combine comment commit communicate compare
compile complete comply compose compress compute configure confirm connect consolidate consult
contact contribute control convert copy correct count create crop curate customise customize
cut deactivate debug decide declare decline decrypt deduplicate define delete deliver
demonstrate deploy deprecate describe deselect design detect determine develop diagnose
digitise digitize disable disconnect discover discuss dismiss display distribute document
download drag draft drop duplicate edit educate eliminate email embed employ enable encrypt
enforce engage enhance enrich enroll enrol ensure enter escalate establish estimate evaluate
examine exchange exclude execute expand expect explain explore export expose extend extract
facilitate fetch fill filter find fix flag follow forecast format forward gather generate get
give grant group guide handle harmonise harmonize harvest have help hide highlight hire host
identify ignore implement import improve include increase index indicate inform ingest initiate
input inspect install integrate interact interpret introduce investigate invite invoice issue
join keep know label launch learn leverage license limit link list load locate lock log login
maintain make manage map mark match measure merge migrate minimise minimize mitigate model
modify monitor move mute navigate negotiate notify observe obtain offer onboard open operate
optimise optimize order organise organize outdent override own paginate parse participate paste
pause pay perform persist personalise personalize pick pin place plan play populate post
predict prefill prepare preprocess present preserve preview prevent print prioritise prioritize
process produce profile program promote propagate propose protect provide publish pull purchase
purge push put query queue quantify rank rate reach react read rearrange receive recognise
recognize recommend reconcile record recover redact redesign redirect redo reduce refactor
refer refine refresh regenerate register reject release reload remind remove rename render
reorder repair replace replicate reply report represent request require reschedule research
reserve reset resize resolve respond restore restrict resume retain retrieve retry return reuse
review revise revoke rotate route run sanitise sanitize save scale scan schedule score screen
scroll search secure see segment select sell send set settle setup share show sign simulate
skip sort specify split stage standardise standardize star start store stream streamline submit
subscribe suggest summarise summarize supervise supply support suspend swap switch sync
synchronise synchronize tag tailor take test text track train transcribe transfer transform
translate transmit trigger troubleshoot tune turn type undo unlock unpin unsubscribe update
upgrade upload use utilise utilize validate verify view visualise visualize vote warn watch
withdraw write zoom
"""
#: Verbs that are as often nouns or adjectives in backlog prose.
_NOUN_LIKE = """
access alert answer archive audit back backup balance bid bill block book bookmark bulk call
capture change charge chat check claim clone close cluster comment commit contact control copy
count cut debug design display document download draft drop email estimate exchange export
fill filter fix flag forecast format forward group guide host import index input invoice issue
label launch license limit link list load lock log login map mark match model monitor offer
open order own paste pause pin place plan play post present preview print process profile
program purchase push query queue rank rate reach read record release reply report request
research reserve reset return review rotate run scale scan schedule score screen search
segment set setup share show sign sort split stage star start store stream support swap switch
sync tag test text track train transfer trigger turn type update upgrade upload use view vote
watch zoom
"""
VERBS = frozenset(_VERBS.split())
NOUN_LIKE = frozenset(_NOUN_LIKE.split())
#: Pairs that name one feature, not two ("enable and disable" is one toggle).
ONE_FEATURE = frozenset(
    tuple(sorted(pair.split("/")))
    for pair in word_list(
        "drag/drop copy/paste cut/paste find/replace search/replace pick/choose mix/match "
        "save/close read/write enable/disable show/hide expand/collapse indent/outdent "
        "open/close start/stop lock/unlock pin/unpin follow/unfollow subscribe/unsubscribe "
        "undo/redo select/deselect mute/unmute activate/deactivate check/uncheck zoom/pan "
        "sign/seal encrypt/decrypt compress/decompress login/logout log/sign train/test "
        "train/validate train/evaluate"
    )
)


@lru_cache(maxsize=4096)
def verb_base(word: str) -> str | None:
    """The base verb of ``word`` ("adding" -> "add", "archive" -> "archive"), else None."""
    word = word.lower()
    if word in VERBS:
        return word
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        for candidate in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
            if candidate in VERBS:
                return candidate
    return None


def one_feature(first: str, second: str) -> bool:
    """Whether two verbs joined by "and" / "or" name one feature ("show and hide")."""
    return tuple(sorted((first, second))) in ONE_FEATURE


_TOKEN = lazy(r"[A-Za-z][\w'/-]*|,|;|&|\(|\)")
_JOINTS = (" and ", " or ", "&", " plus ", " nor ", "and/or", " and,", " or,", "as well as")
_CONJUNCTIONS = frozenset(("and", "or", "&", "plus", "and/or", "nor"))
#: Words after which a verb starts an action ("to", "can", "by adding", "quickly").
_VERB_SLOT = frozenset(
    word_list(
        "to can could will would should must may might and or also then "
        "for by of about when while after before without via"
    )
)
#: Verbs that name what an action achieves or how it goes on, not a second deliverable:
#: "identify the areas and ensure they get help", "develop and refine the model".
OUTCOME = frozenset(
    word_list(
        "ensure increase reduce improve prevent avoid minimise minimize maximise maximize "
        "promote enhance boost lower raise refine adapt tune optimise optimize strengthen foster "
        "iterate"
    )
)
_GOES_ON = frozenset(word_list("refine adapt tune improve enhance optimise optimize iterate"))
#: Verbs that do not name a second deliverable after "and" ("and use them to ...").
_NOT_SECOND = frozenset(
    word_list("be have get make take do become use utilize utilise leverage apply employ")
)
#: Words that start a clause about an object or a circumstance, not another wanted action.
CLAUSE = frozenset(word_list("that which who whom whose where while when whenever if unless until"))
_OBJECT_START = frozenset(
    word_list(
        "the a an my our their his her its your all any each every this that these those them "
        "it me us him new existing multiple other another some more"
    )
)


def two_actions(text: str) -> str | None:
    """The words showing that ``text`` (a means or a title) asks for two or more actions
    ("create and edit", "upload my receipts and to see", "create, rename or archive"), else
    None. A list of objects of one verb ("phone number, postcode and date of birth"), a pair
    that names one feature ("drag and drop", "show and hide") and two verbs that are not
    actions ("a fast and accurate tool") are one action."""
    lowered_text = text[:400].lower()
    if not any(joint in lowered_text for joint in _JOINTS):
        return None  # no "and", "or", "&", "plus", "as well as": one action
    tokens = [m.group(0) for m in _TOKEN.finditer(text[:400])]
    lowered = [t.lower() for t in tokens]
    for index, word in enumerate(lowered):
        if index and word in CLAUSE:  # "forms that students fill in and submit": the forms
            tokens, lowered = tokens[:index], lowered[:index]
            break
    heads = _heads(lowered)
    for index, word in enumerate(lowered):
        if word == "as" and lowered[index + 1 : index + 3] == ["well", "as"]:
            right = index + 3
        elif word in _CONJUNCTIONS:
            right = index + 1
        else:
            continue
        while right < len(lowered) and lowered[right] in ("also", "then", "later"):
            right += 1
        if right >= len(lowered):
            break
        if lowered[right] == "to" and right + 1 < len(lowered) and verb_base(lowered[right + 1]):
            return " ".join(tokens[index : right + 2])  # "and to see"
        if lowered[right : right + 3] == ["be", "able", "to"]:
            return " ".join(tokens[index : right + 4])  # "and be able to decide"
        second = verb_base(lowered[right])
        if second is None or second in _NOT_SECOND:
            continue
        found = _joined(lowered, heads, index, right, second)
        if found is not None:
            return " ".join(tokens[found : right + 2])
    return None


def _heads(lowered: list[str]) -> set[int]:
    """Positions of verbs that start an action: first word, or after "to", a modal, a
    preposition (for "-ing" forms), an adverb, or a comma in a list of such verbs."""
    heads: set[int] = set()
    for index, word in enumerate(lowered):
        base = verb_base(word)
        if base is None:
            continue
        before = lowered[index - 1] if index else ""
        ing = word.endswith("ing") and word != base
        if (
            index == 0
            or (before in _VERB_SLOT and (not ing or before not in ("to", "can", "will")))
            or before.endswith("ly")
            or (before == "," and index >= 2 and index - 2 in heads)
        ):
            heads.add(index)
    return heads


def _joined(lowered: list[str], heads: set[int], conj: int, right: int, second: str) -> int | None:
    """Where the evidence of "<verb> ... and <second>" starts when both are actions."""
    left = conj - 1
    if left >= 0 and lowered[left] == ",":
        left -= 1
    if left < 0:
        return None
    first = verb_base(lowered[left])
    if left in heads and first is not None:  # "create and edit", "create, rename or archive"
        if one_feature(first, second) or second in _GOES_ON:
            return None
        if lowered[left].endswith("ing") != lowered[right].endswith("ing"):
            return None
        return left
    if second in OUTCOME:
        return None  # "identify the areas and ensure they get help": what it achieves
    earlier = [h for h in heads if h < left]
    if not earlier or (right - 1) in heads:
        return None
    after = lowered[right + 1] if right + 1 < len(lowered) else ""
    if lowered[right] in NOUN_LIKE and after not in _OBJECT_START:
        return None  # "and import VAT", "and report templates": nouns
    if lowered[right].endswith("ing") and not lowered[max(earlier)].endswith("ing"):
        return None
    return conj


# --- the words around a want: what makes "to <verb>" part of it or its purpose -----------

#: Words before "to <verb>" that make it part of the want ("a way to", "how to", "able to").
COMPLEMENT = frozenset(
    word_list(
        "able how what where when whether which who ability option options way ways possibility "
        "opportunity chance permission right means time place wish want wants need needs like "
        "going trying try tried and or allowed asked required forced easy easier possible ready "
        "free willing likely decide choose prefer used continue start begin remember forget "
        "learn plan hope attempt fail tend seem appear elect opt agree refuse intend "
        "instructions guidance tips reminder reminders invitation prompt support help "
        "assistance advice training permissions"
    )
)
#: Things wanted whose "to <verb>" says what they do ("tools to monitor bias").
THINGS = frozenset(
    word_list(
        "tool tools system systems feature features mechanism functionality button buttons "
        "interface dashboard app application platform api function method model models "
        "algorithm algorithms service setting settings command shortcut capability "
        "capabilities solution software script page screen view form field link menu widget "
        "workflow process procedure template wizard"
    )
)
#: Things one receives: "I want data on my runs to track my progress" says why.
RECEIVED = frozenset(
    word_list(
        "data information info access insight insights tips guidance alerts alert "
        "notifications notification reports report feedback statistics stats metrics overview "
        "summary summaries visibility knowledge examples example documentation updates details "
        "analytics recommendations suggestions evidence visualizations visualisations "
        "explanations predictions forecasts"
    )
)
#: What a thing does: "the report to include refunds" is the want, not its purpose.
THING_DOES = frozenset(
    word_list(
        "include contain show display list have be support work match use cover reflect "
        "refresh load update appear open run return sort group stay remain"
    )
)
NOT_ADVERBS = frozenset(
    word_list("only early daily weekly monthly yearly family supply apply reply")
)
#: Verbs whose object is followed by an infinitive of the want ("allow users to edit").
CONTROL = frozenset(
    word_list(
        "allow allows enable enables ask tell remind get force configure set require permit invite "
        "encourage expect instruct want need like let help cause train teach program prompt notify "
        "alert advise direct empower authorize authorise have make"
    )
)
#: Verbs of an instrument: in "use X to do Y", doing Y is the action wanted.
INSTRUMENT = frozenset(word_list("use utilize utilise leverage apply employ harness exploit"))
PREPOSITIONS = frozenset(word_list("of on in for from with about at by into over under across"))
