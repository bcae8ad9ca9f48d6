"""Generated repositories for the fake GitHub: many issues, made on demand, none kept.

An organisation-sized benchmark (200 repositories, 200,000 issues) would hold gigabytes as
REST-shaped dicts. A :class:`GeneratedRepo` holds a count instead and builds issue ``n`` when a
page asks for it, deterministically (the same repository and number always give the same issue),
in exactly the shape :meth:`FakeGitHub.add_issue` stores, so the fake's GraphQL and REST routes
serve it unchanged. An issue a REST write touches (a label added) is kept from then on, so
write-back still works on the few issues it changes.

Usage::

    fake.repos["acme/api"] = GeneratedRepo("acme/api", 5_000)
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import Any

from .github_server import FakeRepo, _user

TITLE_VERBS = ("Export", "Import", "Show", "Hide", "Validate", "Cache", "Sort", "Filter", "Retry")
TITLE_THINGS = (
    "the monthly invoice report",
    "saved payment cards",
    "the delivery date",
    "team notification settings",
    "audit log entries",
    "the search results page",
    "draft orders",
    "user avatars",
    "the pricing table",
    "webhook deliveries",
    "archived projects",
)
TITLE_PLACES = ("on mobile", "for admins", "in the API", "after login", "in the CSV export", "")
BODIES = (
    "As an admin I want {thing} {place} so that finance can reconcile the month.\n\n"
    "## Acceptance criteria\n- [ ] {thing} appears {place}\n- [ ] an empty state explains why\n",
    "{verb} fails for {thing} {place}.\n\n### Steps\n1. open {thing}\n2. press {verb}\n\n"
    "### Expected\nIt works.\n\n### Actual\nError: TimeoutError after 30s\n",
    "Improve {thing}",
    "",
    "Given a signed-in user\nWhen they open {thing} {place}\nThen they can {verb} it\n",
    "We should look into {thing} at some point, it is kind of slow {place} etc.",
)
LABELS = (("bug",), ("P2",), (), ("enhancement", "P1"), ("bug", "P1"), ("documentation",))


class GeneratedRepo(FakeRepo):
    """A repository of ``count`` open issues numbered 1..count, built when asked for."""

    def __init__(self, full_name: str, count: int) -> None:
        super().__init__(full_name)
        self.count = count
        self.seed = zlib.crc32(full_name.encode())
        self.issues = GeneratedIssues(self)  # type: ignore[assignment]

    def issue(self, number: int) -> dict[str, Any]:
        """Issue ``number`` in the shape :meth:`FakeGitHub.add_issue` stores."""
        mix = (number * 2654435761 + self.seed) & 0xFFFFFFFF
        verb = TITLE_VERBS[mix % len(TITLE_VERBS)]
        thing = TITLE_THINGS[(mix >> 4) % len(TITLE_THINGS)]
        place = TITLE_PLACES[(mix >> 8) % len(TITLE_PLACES)]
        body = BODIES[(mix >> 12) % len(BODIES)].format(verb=verb.lower(), thing=thing, place=place)
        labels = LABELS[(mix >> 16) % len(LABELS)]
        api = f"https://api.github.com/repos/{self.full_name}"
        day = 1 + number % 28
        created = f"2025-{1 + number // 28 % 12:02}-{day:02}T10:{number % 60:02}:00Z"
        return {
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "html_url": f"https://github.com/{self.full_name}/issues/{number}",
            "id": self.seed % 100_000 * 1_000_000 + number,
            "node_id": f"I_kwG{self.seed:x}_{number}",
            "number": number,
            "title": f"{verb} {thing} {place}".strip(),
            "user": _user(f"user{mix % 50}"),
            "labels": [_label(self.full_name, name) for name in labels],
            "state": "open",
            "locked": False,
            "assignee": None,
            "assignees": [_user("alice")] if mix % 3 == 0 else [],
            "milestone": None
            if mix % 4
            else {"number": 1, "title": "v2.0", "state": "open", "due_on": None},
            "comments": 0,
            "created_at": created,
            "updated_at": created,
            "closed_at": None,
            "author_association": "MEMBER",
            "active_lock_reason": None,
            "body": body,
            "reactions": {"total_count": 0, "+1": 0, "-1": 0},
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "parent_issue_url": None,
            "type": None,
        }

    def ordered(self) -> tuple[Sequence[dict[str, Any]], Positions]:  # type: ignore[override]
        # Numbers are in creation order by construction; nothing is sorted or held.
        return Order(range(1, self.count + 1), self._current), Positions(self.count)

    def open_issue_count(self) -> int:
        return self.count

    def _current(self, number: int) -> dict[str, Any]:
        return self.issues.touched.get(number) or self.issue(number)  # type: ignore[attr-defined]


def _label(repo: str, name: str) -> dict[str, Any]:
    return {"id": zlib.crc32(name.encode()), "node_id": f"LA_{name}", "name": name}


class GeneratedIssues(MutableMapping[int, dict[str, Any]]):
    """``repo.issues`` of a generated repository: issues built on access; kept once touched
    (a REST read or write may change them)."""

    def __init__(self, repo: GeneratedRepo) -> None:
        self.repo = repo
        self.touched: dict[int, dict[str, Any]] = {}

    def __getitem__(self, number: int) -> dict[str, Any]:
        if number in self.touched:
            return self.touched[number]
        if not 1 <= number <= self.repo.count:
            raise KeyError(number)
        self.touched[number] = self.repo.issue(number)
        return self.touched[number]

    def __setitem__(self, number: int, issue: dict[str, Any]) -> None:
        self.touched[number] = issue

    def __delitem__(self, number: int) -> None:
        raise KeyError(number)  # GitHub deletes no issue through these routes

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and 1 <= number <= self.repo.count

    def __iter__(self) -> Iterator[int]:
        return iter(range(1, self.repo.count + 1))

    def __len__(self) -> int:
        return self.repo.count


class Order(Sequence[dict[str, Any]]):
    """Issues in creation order, built as the route walks them; slices stay lazy."""

    def __init__(self, numbers: range, make: Callable[[int], dict[str, Any]]) -> None:
        self.numbers, self.make = numbers, make

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return Order(self.numbers[index], self.make)
        return self.make(self.numbers[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self.make, self.numbers)


class Positions:
    """Issue number → its index in :class:`Order` (number - 1)."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and 1 <= number <= self.count

    def __getitem__(self, number: int) -> int:
        return number - 1
