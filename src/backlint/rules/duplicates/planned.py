"""Planned work: stories, epics and tasks that report no problem.

Pure functions, no I/O. A team breaks its work into stories and tasks that share wording on
purpose ("Implement helper for retrieving an org's config" / "... an org's MSP config"); two
such tickets are parts of one breakdown, not the same request twice, so the duplicate search
(:mod:`~.search`) pairs planned work only when it is a near copy, and never across projects.
"""

from __future__ import annotations

import re

#: Kinds of planned work: the team's own breakdown of what to build.
PLANNED_KINDS = frozenset({"story", "task", "subtask", "epic", "initiative", "objective"})
#: Title words that report a problem rather than plan work.
PROBLEM_WORDS = frozenset(
    """
    not no never cannot can't cant unable missing wrong incorrect incorrectly regression bug
    broken break breaks fail fails failed failing failure failures error errors crash crashes
    crashed crashing exception exceptions hang hangs freeze freezes frozen stuck leak leaks
    timeout doesn't don't didn't won't isn't aren't wasn't weren't can't couldn't shouldn't
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_USER_STORY = re.compile(r"\s*as an? \w", re.I)
_TITLE_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


def planned_work(kind: str, title: str, body: str = "") -> bool:
    """Whether a ticket plans work rather than reporting a problem or asking for a feature: a
    story, epic or sub-task; a user story ("As a ..."); or a task whose title reports no
    problem. Two pieces of planned work that share their wording are usually parts of one
    breakdown, not the same request twice."""
    kind = kind.lower()
    if kind not in PLANNED_KINDS:
        return False
    if kind != "task" or _USER_STORY.match(title) or _USER_STORY.match(body):
        return True
    return PROBLEM_WORDS.isdisjoint(_TITLE_WORDS.findall(title.lower().replace("\u2019", "'")))
