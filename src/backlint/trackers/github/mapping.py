"""GitHub REST issue objects (and webhook ``issue`` objects, which share the shape) → Ticket.

Used by the file source and by the GitHub tracker for single-issue reads. The mapping is
faithful: the issue type's name (or "" when there is none) becomes the raw kind, labels stay as
they are; :func:`backlint.config.conventions.normalise` applies the shared conventions afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from backlint.markup import markdown_to_text
from backlint.model import Activity, Priority, Ticket
from backlint.writeback.planner import HIDDEN_MARKER, ExistingComment, keep_oldest, parse_marker

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


def _web_url(value: Any) -> str:
    """The issue's page, only when it is an http(s) address (export files can hold anything)."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else ""


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """GitHub lists pull requests among issues; they carry a ``pull_request`` key."""
    return "pull_request" in issue


def ticket_from_rest(issue: Mapping[str, Any], repo: str = "") -> Ticket:
    """Map one REST issue object. Raises ValueError when it is not an issue at all."""
    number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValueError("issue has no number")
    for name in ("title", "body", "state", "html_url", "created_at", "updated_at"):
        if issue.get(name) is not None and not isinstance(issue[name], str):
            raise ValueError(f"{name} is {type(issue[name]).__name__}, not text")
    if not isinstance(issue.get("labels") or [], list):
        raise ValueError("labels is not a list")
    repo = repo_of(issue, repo)
    labels = tuple(
        str((label.get("name") if isinstance(label, Mapping) else label) or "")
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
        url=_web_url(issue.get("html_url")),
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


#: The first line of every comment backlint writes (see
#: ``backlint.writeback.planner.render_comment``).
MARKER_PREFIX = HIDDEN_MARKER


def marker_comment(comments: list[tuple[str, str | None]]) -> ExistingComment | None:
    """backlint's comment among ``(id, body)`` pairs: the oldest, any others as duplicates.

    Only a comment that *starts* with the marker counts, so a person quoting backlint's comment
    (or pasting the marker into their own text) never makes backlint edit or delete theirs.
    """
    return keep_oldest(
        [
            (comment_id, parse_marker(body))
            for comment_id, body in comments
            if body and body.lstrip().startswith(MARKER_PREFIX)
        ]
    )


def _actor(actor: Any) -> tuple[str, bool]:
    """GraphQL ``Actor`` → (login, is_bot); ``__typename`` tells a Bot from a User."""
    if not isinstance(actor, Mapping):
        return "", False
    return actor.get("login") or "", actor.get("__typename") == "Bot"


def _nodes(connection: Any) -> list[Any]:
    if not isinstance(connection, Mapping):
        return []
    return [node for node in connection.get("nodes") or () if node is not None]


def ticket_from_graphql(node: Mapping[str, Any], repo: str) -> Ticket:
    """Map one ``Issue`` node of backlint's bulk query (see ``github_graphql``) to a Ticket.

    Besides the issue itself, the node carries the last few comments; they become activity, and
    when they include backlint's own comment (or are all the comments there are) the ticket
    records that in ``fields["backlint_comment"]``, so write-back need not read them again.
    """
    number = node.get("number")
    if not isinstance(number, int):
        raise ValueError("issue has no number")
    raw_body = node.get("body") or ""
    state = str(node.get("state") or "OPEN").lower()
    author, author_is_bot = _actor(node.get("author"))
    milestone = node.get("milestone") if isinstance(node.get("milestone"), Mapping) else None
    parent = node.get("parent") if isinstance(node.get("parent"), Mapping) else None
    parent_key = None
    if parent and isinstance(parent.get("number"), int):
        parent_repo = (parent.get("repository") or {}).get("nameWithOwner") or repo
        parent_key = f"{parent_repo}#{parent['number']}"
    issue_type = node.get("issueType") if isinstance(node.get("issueType"), Mapping) else None
    priorities = []
    for item in _nodes(node.get("projectItems")):
        value = item.get("priority")
        if isinstance(value, Mapping) and value.get("name"):
            priorities.append(str(value["name"]))
    comments = node.get("comments") if isinstance(node.get("comments"), Mapping) else {}
    comment_nodes = _nodes(comments)
    created = parse_time(node.get("createdAt"))
    activity = []
    if created:
        activity.append(Activity(at=created, actor=author, kind="created", is_bot=author_is_bot))
    for comment in comment_nodes:
        at = parse_time(comment.get("createdAt"))
        if at:
            login, is_bot = _actor(comment.get("author"))
            # backlint's own comment is posted with whoever's token ran it: never human activity.
            if MARKER_PREFIX in str(comment.get("body") or ""):
                login, is_bot = "backlint", True
            activity.append(Activity(at=at, actor=login, kind="comment", is_bot=is_bot))
    fields: dict[str, Any] = {
        "body_markup": raw_body,
        "comments": comments.get("totalCount", len(comment_nodes)),
    }
    sub = node.get("subIssuesSummary")
    if isinstance(sub, Mapping) and sub.get("total"):
        fields["sub_issues"] = {"total": sub.get("total", 0), "completed": sub.get("completed", 0)}
    if milestone:
        fields["milestone_state"] = str(milestone.get("state") or "").lower() or None
        fields["milestone_due"] = milestone.get("dueOn")
    if priorities:
        fields["project_priorities"] = tuple(priorities)
    seen = [(str(c.get("databaseId")), c.get("body")) for c in comment_nodes]
    found = marker_comment(seen)
    if fields["comments"] <= len(comment_nodes):
        fields["backlint_comment"] = found  # every comment was read: the answer is complete
    elif found is not None and not found.duplicates and seen[0][0] != found.id:
        # Only the last comments were read. One marker with a comment of someone else's before
        # it is backlint's comment; duplicates seen, or a marker at the window's edge (a racing
        # twin could sit just before it), leave the answer to the REST read of every comment.
        fields["backlint_comment"] = found
    raw = {k: v for k, v in node.items() if k != "comments"}  # bodies of comments: not kept
    return Ticket(
        key=f"{repo}#{number}",
        tracker="github",
        title=(node.get("title") or "").strip(),
        body=markdown_to_text(raw_body),
        url=node.get("url") or "",
        kind=(issue_type.get("name") or "") if issue_type else "",
        status=state,
        status_category="done" if state == "closed" else "todo",
        priority=Priority(name=priorities[0], source="field") if priorities else None,
        labels=tuple(str(n.get("name") or "") for n in _nodes(node.get("labels"))),
        assignees=tuple(
            str(n.get("login")) for n in _nodes(node.get("assignees")) if n.get("login")
        ),
        reporter=author or None,
        created=created,
        updated=parse_time(node.get("updatedAt")),
        parent=parent_key,
        milestone=milestone.get("title") if milestone else None,
        activity=tuple(sorted(activity, key=lambda a: a.at)),
        fields=MappingProxyType(fields),
        raw=MappingProxyType(raw),
    )
