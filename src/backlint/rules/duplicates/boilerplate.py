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


class Boilerplate:
    """The lines that at least ``min_tickets`` tickets, and at least ``share`` of the tickets,
    of one project have, found over ``tickets`` (``(key, body)`` pairs); :meth:`strip` removes
    them from one body.

    One pass over each project's lines, keeping only the counts, so the work grows with the
    text, not with the number of pairs, and no ticket's lines are held. Only the start of each
    body (:data:`~.stems.MAX_CHARS`) is read, as the comparison reads no further.
    """

    def __init__(
        self,
        tickets: Sequence[tuple[str, str]],
        min_tickets: int = MIN_TICKETS,
        share: float = MIN_SHARE,
    ) -> None:
        projects: dict[str, list[int]] = {}
        for index, (key, _) in enumerate(tickets):
            projects.setdefault(project_of(key), []).append(index)
        self.common: set[tuple[str, str]] = set()
        for project, members in projects.items():
            need = max(min_tickets, share * len(members))
            if len(members) < need:
                continue
            counts: dict[str, int] = {}
            for index in members:
                for line in {_line_key(line) for line in _lines(tickets[index][1])}:
                    if line:
                        counts[line] = counts.get(line, 0) + 1
            self.common.update((project, line) for line, count in counts.items() if count >= need)

    def strip(self, key: str, body: str) -> str:
        """``body`` (of ticket ``key``) without its project's boilerplate lines."""
        if not self.common:
            return body
        project, common = project_of(key), self.common
        return "\n".join(line for line in _lines(body) if (project, _line_key(line)) not in common)


def strip_boilerplate(
    tickets: Sequence[tuple[str, str]], min_tickets: int = MIN_TICKETS, share: float = MIN_SHARE
) -> list[str]:
    """The bodies of ``tickets`` (``(key, body)`` pairs) without the lines that at least
    ``min_tickets`` tickets, and at least ``share`` of the tickets, of the same project have
    (:class:`Boilerplate`)."""
    boilerplate = Boilerplate(tickets, min_tickets, share)
    return [boilerplate.strip(key, body) for key, body in tickets]
