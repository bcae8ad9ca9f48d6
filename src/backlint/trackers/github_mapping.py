"""GitHub REST issue objects (and webhook ``issue`` objects, which share the shape) → Ticket.

Used by the file source and by the GitHub tracker for single-issue reads. The mapping is
faithful: the issue type's name (or "" when there is none) becomes the raw kind, labels stay as
they are; :func:`backlint.conventions.normalise` applies the shared conventions afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from backlint.markup import markdown_to_text
from backlint.model import Activity, Ticket

_REPO_FROM_URL = re.compile(r"/repos/([^/]+/[^/]+)/issues/(\d+)")
_REPO_FROM_HTML = re.compile(r"github\.com/([^/]+/[^/]+)/issues/(\d+)")


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 from GitHub (``2026-03-01T10:00:00Z``) → aware datetime; None if absent."""
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def repo_of(issue: Mapping[str, Any], fallback: str = "") -> str:
    """``owner/repo`` from the issue's own URLs, or ``fallback``."""
    for key, pattern in (("url", _REPO_FROM_URL), ("html_url", _REPO_FROM_HTML)):
        match = pattern.search(str(issue.get(key) or ""))
        if match:
            return match.group(1)
    repo_url = str(issue.get("repository_url") or "")
    if "/repos/" in repo_url:
        return repo_url.split("/repos/", 1)[1]
    return fallback


def _login(user: Any) -> str | None:
    return user.get("login") if isinstance(user, Mapping) else None


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """GitHub lists pull requests among issues; they carry a ``pull_request`` key."""
    return "pull_request" in issue


def ticket_from_rest(issue: Mapping[str, Any], repo: str = "") -> Ticket:
    """Map one REST issue object. Raises ValueError when it is not an issue at all."""
    number = issue.get("number")
    if not isinstance(number, int):
        raise ValueError("issue has no number")
    repo = repo_of(issue, repo)
    labels = tuple(
        (label.get("name") if isinstance(label, Mapping) else str(label)) or ""
        for label in issue.get("labels") or ()
    )
    assignees = tuple(
        login for login in (_login(a) for a in issue.get("assignees") or ()) if login
    ) or tuple(filter(None, [_login(issue.get("assignee"))]))
    milestone = issue.get("milestone")
    issue_type = issue.get("type")
    raw_body = issue.get("body") or ""
    state = issue.get("state") or "open"
    parent = None
    parent_url = issue.get("parent_issue_url")
    if isinstance(parent_url, str):
        match = _REPO_FROM_URL.search(parent_url)
        if match:
            parent = f"{match.group(1)}#{match.group(2)}"
    sub = issue.get("sub_issues_summary") or {}
    fields: dict[str, Any] = {"body_markup": raw_body, "comments": issue.get("comments") or 0}
    if sub:
        fields["sub_issues"] = {"total": sub.get("total", 0), "completed": sub.get("completed", 0)}
    if isinstance(milestone, Mapping):
        fields["milestone_state"] = milestone.get("state")
        fields["milestone_due"] = milestone.get("due_on")
    return Ticket(
        key=f"{repo}#{number}" if repo else f"#{number}",
        tracker="github",
        title=(issue.get("title") or "").strip(),
        body=markdown_to_text(raw_body),
        url=issue.get("html_url") or "",
        kind=(issue_type.get("name") or "") if isinstance(issue_type, Mapping) else "",
        status=state,
        status_category="done" if state == "closed" else "todo",
        labels=labels,
        assignees=assignees,
        reporter=_login(issue.get("user")),
        created=parse_time(issue.get("created_at")),
        updated=parse_time(issue.get("updated_at")),
        due=None,
        parent=parent,
        milestone=milestone.get("title") if isinstance(milestone, Mapping) else None,
        activity=_activity(issue),
        fields=MappingProxyType(fields),
        raw=MappingProxyType(dict(issue)),
    )


def _activity(issue: Mapping[str, Any]) -> tuple[Activity, ...]:
    """The issue's own creation and last update; the tracker adds comments when it reads them."""
    user = issue.get("user") if isinstance(issue.get("user"), Mapping) else {}
    is_bot = user.get("type") == "Bot"
    created = parse_time(issue.get("created_at"))
    events = []
    if created:
        events.append(Activity(at=created, actor=_login(user) or "", kind="created", is_bot=is_bot))
    return tuple(events)
