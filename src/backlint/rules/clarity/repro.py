"""What counts as a way to reproduce a bug (for BL112). Pure; no I/O.

Steps are a "Steps to reproduce" section that says something of its own (not left empty, not
the title again), a numbered list, code or a command (a stack trace alone says where it broke,
not how to get there), a sandbox, a failing CI job or attached input files, a pointer to the
faulty code or file, or a sentence naming the trigger ("when I ...", "Running appc exits",
"I tried setting ..."). A title can name the trigger too ("Cannot select contexts in IDEA",
"Job undeploy throws ..."). A reporter who says they could not reproduce it has given no steps.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.rules.clarity.body import content_words, in_links, own_words
from backlint.rules.text.document import document
from backlint.rules.text.folded import Folded
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import is_log_line, sentences
from backlint.rules.text.util import MAX_CHARS, has_label, lowered, memo, sections, strip_code

_STEPS_LABEL = lazy(
    r"(?:\d+\.\s*)?(?:steps?\b|(?:how\s+)?to\s+reproduce|reproduc|repro\b|str\b|"
    r"(?:code|example|snippet)\s+to\s+reproduce|minimal\s+(?:reproduc|example)|"
    r"standalone\s+code|reproduction)",
    re.IGNORECASE,
)
#: The whole label of a steps heading, to read what follows it on the same line.
_STEPS_HEAD = lazy(
    r"^(?:\d+\.\s*)?(?:(?:steps?\s+)?(?:how\s+)?to\s+reproduce|repro(?:duction)?\s+steps|"
    r"steps?|reproduction|repro)\b[\W_]*",
    re.IGNORECASE,
)
_NUMBERED = lazy(r"^\s*(?:\d+[.)]|#)\s+\S", re.MULTILINE)
_REPRO_WORDS = lazy(
    r"\b(?:reproduc\w*|repro|replicat\w*|minimal (?:example|code)|sample code|code snippet|"
    r"snippet|test case)\b",
    re.IGNORECASE,
)
_TRIGGER = Folded(
    r"\b(?:when|whenever|after|if|once|while|on\s+(?:startup|launch|reload|save|click))\s+"
    r"(?!(?:possible|needed|necessary|any|so)\b)\w+|\bhappens\s+(?:when|after|on|if)\b|"
    r"\b(?:unless|during|going\s+from|switching\s+(?:from|to|between)|toggling)\b|"
    r"\b(?:causes?|caused\s+by|leads?\s+to|results?\s+in|triggers?|triggered\s+by)\b|"
    r"\b(?:run|running|execute|call|calling|open|opening|click|clicking|press|pressing|type|"
    r"typing)\s+(?:the\s+)?[`'\"]|"
    # an action that sets it off: "Running appc just exits", "Importing a space causes ..."
    r"(?:^|[.!?]\s+)(?:running|opening|clicking|calling|executing|using|starting|launching|"
    r"deploying|creating|importing|exporting|installing|building|uploading|saving|loading|"
    r"selecting|changing|adding|removing|deleting|switching|pressing|typing)\s+\S|"
    # the reporter's own scenario: "I tried setting ...", "trying to deploy ..."
    r"\b(?:i|we)\s+(?:(?:have|had|just)\s+)?(?:tried|try|set|ran|run|used|use|created|opened|"
    r"clicked|installed|added|changed|called|started|launched|deployed|executed|pushed|built|"
    r"upgraded|updated|imported|exported|followed)\b|\b(?:i'?m\s+|am\s+)?trying\s+to\s+\w+",
)
#: "Job undeploy operation throws exception", "`appc new` fails on Windows": an operation named
#: in the title, then how it fails: the trigger is the operation.
_FAILING_OPERATION = Folded(
    r"^(?:[\w./:>()-]+\s+){2,}(?:throws?|fails?|failing|crash(?:es)?|errors?\s+out|gives?|"
    r"hangs?|returns?|raises?|breaks?|causes?)\b|"
    r"(?:`[^`]+`|\b\w*(?-i:[a-z][A-Z]|_|\w\.\w)[\w.]*)\s+"
    r"(?:throws?|fails?|failing|crash(?:es)?|hangs?|returns?)\b",
)
#: "Cannot select contexts in IDEA 10", "XD-Admin fails to start", "plugin doesn't load": the
#: title names what the reporter tried to do; doing it is the reproduction.
_ACTION_FAILS = Folded(
    r"\b(?:can'?t|cannot|can\s+not|unable\s+to|not\s+able\s+to|fail(?:s|ed|ing)?\s+to)\s+"
    r"(?!be\b)\w+|\b(?:doesn'?t|does\s+not|won'?t|will\s+not|didn'?t)\s+(?:load|start|open|save|"
    r"run|build|compile|install|connect|launch|deploy|import|export|upload|download|log\s*in)\b",
)
#: A code-level report: what the code does and what it should do, by name ("It uses
#: `tasks_filter`, but should use `remove_filter`"): nothing to reproduce, the fix is named.
_CODE_FIX = lazy(r"\b(?:should|instead\s+of)\b", re.IGNORECASE)
#: A name from the code: `inline code`, camelCase, snake_case.
_CODE_NAME = lazy(r"`[^`\n]+`|\b[a-z]+[A-Z]\w*|\b[A-Za-z]\w*_\w+")


def _names_the_fix(story: str) -> bool:
    """True when a sentence says what the code should do by name (see :data:`_CODE_FIX`)."""
    for line in story.splitlines():
        low = line.lower()
        if ("should" in low or "instead of" in low) and _CODE_NAME.search(line):
            for part in line.split(". "):
                if _CODE_FIX.search(part) and _CODE_NAME.search(part):
                    return True
    return False


#: The faulty file or line is named: "line 1080 of spaces-manager.js", "validator.toml.example".
_FILE_POINTER = lazy(
    r"\bline\s+\d+\b|\b[\w/-]+\.(?:js|ts|jsx|tsx|py|java|kt|scala|cpp|cc|c|h|hpp|go|rb|rs|cs|"
    r"php|xml|json|toml|ya?ml|ini|properties|gradle|sh|bat|ps1|example|conf|cfg|jar)\b(?!\.\w)",
    re.IGNORECASE,
)
_REPRO_LINK = Folded(
    r"cirrus-ci|/actions/runs|buildbot|jenkins|ci\.log|/job/|codesandbox|stackblitz|jsfiddle|"
    r"codepen|repl\.it|replit|glitch\.me|gist\.github|oss-fuzz|godbolt|colab\.research|"
    r"github\.com/[\w.-]+/[\w.-]+/files/\d+|user-attachments/files|/checks\?check_run_id=",
)
#: Titles of change requests and docs fixes filed as bugs: steps to reproduce do not apply.
_CHANGE_REQUEST = Folded(
    r"^\W*(?:[\w/-]+:\s*)?(?:add|remove|change|update|improve|use|make|support|allow|clarify|"
    r"document|rename|refactor|bump|revert|give|align|enable|disable|fixed|fixes|fix(?:ed)?\s+typo)\b|"
    r"^\W*[\w/-]+:\s*fix\b|\b(?:typo|docs?|jsdoc|"
    r"docstring|documentation|comment)\b",
)
#: "X should not run in the diff editor": the expected behaviour and where it goes wrong.
_IN_CONTEXT = Folded(
    r"\b(?:should|must)(?:n'?t|\s+not)?\s+\w+.*\s(?:in|on|for|with|from|during)\s+\S",
)
_CODE_POINTER = lazy(r"/blob/[^/\s]+/\S+#L\d+")
_IMPERATIVE = lazy(
    r"^(?:\W{0,3}\s*)?(?:open|click|run|go|navigate|enable|disable|set|configure|create|add|type|"
    r"press|select|install|start|launch|build|compile|call|use|load|paste|copy|drag|hover|"
    r"resize|save|close|change|switch|edit|delete|remove|try|execute|visit|sign|log|upload|"
    r"download|enter|choose|toggle|move|scroll|focus|restart|reload|make|have|put|tap)\b",
    re.IGNORECASE,
)


#: The reporter says there is no reproduction: "I haven't been able to create a minimal
#: example", "cannot reproduce it reliably", "no repro yet".
_NO_REPRO = Folded(
    r"\b(?:(?:haven'?t|have\s+not|hasn'?t|wasn'?t|was\s+not|couldn'?t|could\s+not|can'?t|"
    r"cannot|unable\s+to|not\s+able\s+to|failed\s+to)\s+(?:been\s+able\s+to\s+)?(?:\w+\s+){0,2}"
    r"(?:reproduce|repro|replicate|create\s+(?:a\s+)?(?:minimal\s+)?(?:example|reproduction|"
    r"repro))|no\s+(?:minimal\s+)?(?:repro|reproduction)\s+(?:yet|available)|"
    r"not\s+(?:yet\s+)?reproducible)\b",
)
_URL_OR_REF = lazy(r"https?://|(?:^|\s)#\d+\b")


def _fenced(body: str) -> tuple[str, ...]:
    """The text of each fenced block (one left open runs to the end of what is read)."""
    return document(body).fenced_blocks


#: A shell or REPL prompt: "$ make", "(venv) me@host:~/src$ make", ">>> import x", "C:\\> x".
_COMMAND = lazy(
    r"^(?:\(\S+\)\s*)?(?:[\w.-]+@[\w.:~/-]+)?\$\s*\S|^>>>\s|^\w+:>\s*\w|^(?:PS\s?)?[A-Z]:\\[^>]*>\s*\S"
)
#: A command given outside a code block: "npm -g install react-devtools", "$ make check",
#: a tool's own prompt ("xd:>stream create ...").
_COMMAND_LINE = lazy(
    r"^\s*\w+:>\s*\w|^\s*(?:\$\s*)?(?:npm|npx|yarn|pnpm|pip3?|python3?|node|git|make|cmake|docker|kubectl|cargo|"
    r"go|gradle|mvn|bazel|conda|brew|sudo|apt(?:-get)?|curl|\./[\w.-]+)\s+-{0,2}\w",
    re.MULTILINE,
)
_FRAME = lazy(r"^\s*(?:at\s|\.\.\.\s*\d+\s+more|File\s+\"|Caused by:|#\d+\s+0x)")
#: A heading or a form label line, a template checklist item: the template's, not the author's.
_TEMPLATE_LINE = lazy(r"^\s*(?:#{1,6}\s|[-*+]\s+\[[ xX]\]|[^\n]{0,60}:\s*$)")


@memo
def _blocks(body: str) -> tuple[bool, bool]:
    """Whether the fenced blocks hold (code or a command, a log or program output).

    A block of stack frames is neither: a trace says where it broke, not how to get there.
    """
    code = output = False
    for block in _fenced(body):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if any(_COMMAND.match(line) for line in lines):
            code = True  # "$ ./autogen.sh" then its output: the command is the repro
            continue
        frames = sum(1 for line in lines if _FRAME.match(line))
        logs = sum(1 for line in lines if is_log_line(line))
        if frames * 3 >= len(lines):
            continue
        if logs * 2 >= len(lines):
            output = True
        else:
            code = True
    return code, output


def _steps_text(body: str) -> str | None:
    """The text under every "Steps to reproduce" heading or label, or None when there is none."""
    found = []
    for part in sections(body):
        if part.title and _STEPS_LABEL.match(part.title):
            # "### Steps to Reproduce # Create a page ...": steps on the heading's own line
            inline = _STEPS_HEAD.sub("", part.title, count=1)
            found.append(f"{inline}\n{part.text}")
    return "\n".join(found) if found else None


def _says_how(text: str, title: str) -> bool:
    """True when a steps section says something: a link to a repro, or two content words that
    are not all the title's ("how using open cv" under the same title says nothing)."""
    if _URL_OR_REF.search(text):
        return True
    found = content_words(text, 12)
    return len(found) >= 2 and (len(found) > 12 or bool(own_words(title, text, 0)))


@memo
def _narrative(body: str) -> str:
    """The body without code, headings, form labels and template checklists."""
    return "\n".join(
        line for line in strip_code(body).splitlines() if not _TEMPLATE_LINE.match(line)
    )


def has_steps(body: str, title: str = "") -> bool:
    """True when a bug body shows how to make the bug happen.

    A "Steps to reproduce" section counts only when it says something the title does not
    (not left empty, not the title again); a reporter who says they could not reproduce it
    has given no steps, whatever else the body says, unless it holds code or a sandbox.
    """
    code, output = _blocks(body)
    code = bool(
        code
        or in_links(body, _REPRO_LINK)
        or in_links(body, _CODE_POINTER)
        or _COMMAND_LINE.search(strip_code(body))
    )
    if admits_no_repro(body):
        return code  # only code or a sandbox; a log of the one time it happened is not a repro
    steps = _steps_text(body)
    if steps is not None:
        return code or output or _says_how(steps, title)
    if code or output or has_label(body, _STEPS_LABEL) or len(_NUMBERED.findall(body)) >= 2:
        return True  # code, a command, a log, a sandbox; a steps label with its steps; a list
    if _REPRO_WORDS.search(_narrative(body)):
        return True
    story = _narrative(body)
    if in_links(body, _CODE_POINTER) or ("." in story and _FILE_POINTER.search(story)):
        return True  # a link to the faulty line of code, the faulty file named
    if _TRIGGER.search(story):
        return True
    if _names_the_fix(story):
        return True
    return any(_IMPERATIVE.match(sentence) for sentence in sentences(body))


@lru_cache(maxsize=256)
def title_names_trigger(title: str) -> bool:
    """True when the title says what sets the bug off (see the module docstring)."""
    return bool(
        _TRIGGER.search(title)
        or _ACTION_FAILS.search(title)
        or (_MODAL_WORD.search(title) and _IN_CONTEXT.search(title))
        or (_FAILURE_VERB.search(title) and _FAILING_OPERATION.search(title))
    )


_MODAL_WORD = Folded(r"\b(?:should|must)")
_FAILURE_VERB = Folded(
    r"\b(?:throws?|fails?|failing|crash(?:es)?|errors?|gives?|hangs?|returns?|raises?|breaks?|"
    r"causes?)\b",
)


def admits_no_repro(body: str) -> bool:
    """True when the reporter says they could not reproduce it or make an example: the
    phrase is looked for only around the words it needs ("repro...", "replicat...",
    "example")."""
    low = lowered(body[:MAX_CHARS])
    for word in ("repro", "replicat", "example"):
        at = low.find(word)
        while at >= 0:
            if _NO_REPRO.search(low, max(0, at - 70), at + 40, lowered=low):
                return True
            at = low.find(word, at + len(word))
    return False


def is_change_request(title: str) -> bool:
    """True for a change request or a docs fix filed as a bug ("Add ...", "typo in docs")."""
    return bool(_CHANGE_REQUEST.search(title))
