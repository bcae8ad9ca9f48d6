"""Issue-form boilerplate: lines that many tickets of one project share, dropped before comparing.

Pure functions, no I/O. An issue form (GitHub issue templates, a Jira description template, an
"About" block the reporter's tool fills in) puts the same headings, instructions and stock
answers ("No response", "Steps to reproduce", "OS version: ...", the reporter's machine) into
every ticket filed with it. Two tickets that share them say nothing about whether they report the
same problem, so before tickets are compared, every line that recurs in a large share of its
project's tickets is removed. Lines are compared loosely: case, digits, runs of spaces and
leading Markdown markers (``#``, ``>``, ``-``, ``*``) do not matter, so "### Bazel version" and
"Bazel version" and "OS version: 10.0.19045" and "OS version: 10.0.22621" are one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from backlint.rules.duplicates.stems import MAX_CHARS

#: A line is boilerplate when at least this many tickets of its project have it ...
MIN_TICKETS = 5
#: ... and at least this share of them.
MIN_SHARE = 0.03

_DIGITS = str.maketrans("0123456789", "0000000000")
_MARKERS = "#>*-+ \t"


def project_of(key: str) -> str:
    """The project part of a ticket key: ``SHOP`` for ``SHOP-12``, ``acme/web`` for
    ``acme/web#12``; the key itself when it has neither shape."""
    if "#" in key:
        return key.rsplit("#", 1)[0] or key
    for index, char in enumerate(key):
        if char == "-" and index and key[index + 1 : index + 2].isdigit():
            return key[:index]
    return key


#: Longer lines are what a reporter wrote, never a form's heading or stock answer.
MAX_LINE = 160


def _line_key(line: str) -> str:
    if len(line) > MAX_LINE:
        return ""
    return " ".join(line.lower().translate(_DIGITS).lstrip(_MARKERS).split())


def _lines(body: str) -> list[str]:
    return body[:MAX_CHARS].splitlines()


def strip_boilerplate(
    tickets: Sequence[tuple[str, str]], min_tickets: int = MIN_TICKETS, share: float = MIN_SHARE
) -> list[str]:
    """The bodies of ``tickets`` (``(key, body)`` pairs) without the lines that at least
    ``min_tickets`` tickets, and at least ``share`` of the tickets, of the same project have.

    Two passes over the lines, so the work grows with the text, not with the number of pairs.
    Only the start of each body (:data:`~.stems.MAX_CHARS`) is read, as the comparison reads no
    further.
    """
    projects: dict[str, list[int]] = {}
    for index, (key, _) in enumerate(tickets):
        projects.setdefault(project_of(key), []).append(index)
    keyed = [[_line_key(line) for line in _lines(body)] for _, body in tickets]
    common: set[tuple[str, str]] = set()
    for project, members in projects.items():
        need = max(min_tickets, share * len(members))
        if len(members) < need:
            continue
        counts: dict[str, int] = {}
        for index in members:
            for line in set(keyed[index]):
                if line:
                    counts[line] = counts.get(line, 0) + 1
        common.update((project, line) for line, count in counts.items() if count >= need)
    if not common:
        return [body for _, body in tickets]
    bodies = []
    for (key, body), keys in zip(tickets, keyed, strict=True):
        project = project_of(key)
        kept = [
            line
            for line, line_key in zip(_lines(body), keys, strict=True)
            if (project, line_key) not in common
        ]
        bodies.append("\n".join(kept))
    return bodies
