"""GitHub REST issue objects (and webhook ``issue`` objects, which share the shape) → Ticket.

Used by the file source and by the GitHub tracker for single-issue reads. The mapping is
faithful: the issue type's name (or "" when there is none) becomes the raw kind, labels stay as
they are; :func:`backlint.config.conventions.normalise` applies the shared conventions afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from backlint.markup import markdown_to_text
from backlint.model import EMPTY, Activity, Priority, Ticket
from backlint.writeback.contract import HIDDEN_MARKER, ExistingComment, keep_oldest, parse_marker

_REPO_FROM_URL = re.compile(r"/repos/([^/]+/[^/]+)/issues/(\d+)")
_REPO_FROM_HTML = re.compile(r"github\.com/([^/]+/[^/]+)/issues/(\d+)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 from GitHub (``2026-03-01T10:00:00Z``) → aware datetime; None if absent.

    A time without an offset (some exports drop it) is read as UTC: naive and aware times
    cannot be compared, and one such time must not make the ticket unreadable.
    """
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


def markup_kept(markup: str) -> dict[str, str]:
    """``{"body_markup": markup}`` when the body's own markup mentions backlint, else ``{}``.

    The engine reads it for suppression comments (``<!-- backlint: ignore -->`` never reaches
    the normalised body); any other body's markup would only double its memory for the run.
    """
    return {"body_markup": markup} if "backlint" in markup.lower() else {}


def _kind_of(value: Any) -> str:
    """A JSON value's type as a person would name it, for load errors."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def _text(container: Mapping[str, Any], name: str, where: str = "") -> str:
    """``container[name]`` as text: absent or null is "", a string is itself; else ValueError.

    The error names the field (``type.name is a list, not text``), so the load finding tells
    the person which part of their export is odd.
    """
    value = container.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}{name} is {_kind_of(value)}, not text")
    # A lone surrogate ("\\ud800" in the JSON) is valid JSON but no text a report can encode.
    return _LONE_SURROGATE.sub("\ufffd", value)


def _entries(container: Mapping[str, Any], name: str) -> list[Any]:
    """``container[name]`` as a list: absent or null is []; anything else is a ValueError."""
    value = container.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{name} is {_kind_of(value)}, not a list")
    return value


def _object(container: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    """``container[name]`` when it is an object; None otherwise (absent, null or odd)."""
    value = container.get(name)
    return value if isinstance(value, Mapping) else None


def _count(value: Any) -> int:
    """A count GitHub sends as a number; anything else counts as 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _label(label: Any) -> str:
    """A label entry: an object with a name (REST, webhooks) or a bare name (some exports)."""
    if isinstance(label, Mapping):
        return _text(label, "name", "labels[].")
    if label is None or isinstance(label, str):
        return label or ""
    raise ValueError(f"a label is {_kind_of(label)}, not a name")


def _login(user: Any) -> str | None:
    login = user.get("login") if isinstance(user, Mapping) else None
    return login if isinstance(login, str) and login else None


def _web_url(value: Any) -> str:
    """The issue's page, only when it is an http(s) address (export files can hold anything)."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else ""


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """GitHub lists pull requests among issues; they carry a ``pull_request`` key."""
    return "pull_request" in issue


def ticket_from_rest(issue: Mapping[str, Any], repo: str = "") -> Ticket:
    """Map one REST issue object. Raises ValueError when it is not an issue at all.

    ``repo`` (``owner/name``), when given, names the repository and the ticket key is built
    from it; the issue's own URLs are read only when it is not given. A payload can name any
    repository in its URLs, and the key decides where write-back goes.
    """
    number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValueError("issue has no number")
    for name in ("title", "body", "state", "html_url", "created_at", "updated_at"):
        _text(issue, name)
    repo = repo or repo_of(issue)
    labels = tuple(filter(None, (_label(label) for label in _entries(issue, "labels"))))
    assignees = tuple(
        login for login in (_login(a) for a in _entries(issue, "assignees")) if login
    ) or tuple(filter(None, [_login(issue.get("assignee"))]))
    milestone = _object(issue, "milestone")
    issue_type = _object(issue, "type")
    kind = _text(issue_type, "name", "type.") if issue_type else ""
    raw_body = _text(issue, "body")
    state = _text(issue, "state") or "open"
    parent = None
    parent_url = issue.get("parent_issue_url")
    if isinstance(parent_url, str):
        match = _REPO_FROM_URL.search(parent_url)
        if match:
            parent = f"{match.group(1)}#{match.group(2)}"
    sub = _object(issue, "sub_issues_summary")
    fields: dict[str, Any] = {"comments": _count(issue.get("comments")), **markup_kept(raw_body)}
    if sub:
        fields["sub_issues"] = {
            "total": _count(sub.get("total")),
            "completed": _count(sub.get("completed")),
        }
    if milestone:
        fields["milestone_state"] = _text(milestone, "state", "milestone.") or None
        fields["milestone_due"] = _text(milestone, "due_on", "milestone.") or None
    return Ticket(
        key=f"{repo}#{number}" if repo else f"#{number}",
        tracker="github",
        title=_text(issue, "title").strip(),
        body=markdown_to_text(raw_body),
        url=_web_url(issue.get("html_url")),
        kind=kind,
        status=state,
        status_category="done" if state == "closed" else "todo",
        labels=labels,
        assignees=assignees,
        reporter=_login(issue.get("user")),
        created=parse_time(issue.get("created_at")),
        updated=parse_time(issue.get("updated_at")),
        due=None,
        parent=parent,
        milestone=(_text(milestone, "title", "milestone.") or None) if milestone else None,
        activity=_activity(issue),
        fields=MappingProxyType(fields),
        raw=_kept_rest(issue),
    )


#: The REST issue's values a Ticket keeps in ``raw`` (when set): the rest of the payload (URLs,
#: user objects, reactions, the body twice over) is mapped or dropped, not held for the run.
REST_KEPT = ("state_reason", "author_association", "locked", "closed_at")


def _kept_rest(issue: Mapping[str, Any]) -> Mapping[str, Any]:
    kept = {name: issue[name] for name in REST_KEPT if issue.get(name) is not None}
    return MappingProxyType(kept) if kept else EMPTY


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
    return _login(actor) or "", actor.get("__typename") == "Bot"


def _nodes(connection: Any) -> list[Any]:
    if not isinstance(connection, Mapping) or not isinstance(connection.get("nodes"), list):
        return []
    return [node for node in connection["nodes"] if isinstance(node, Mapping)]


def comment_from_graphql(node: Mapping[str, Any]) -> tuple[bool, ExistingComment | None]:
    """What the comments in an ``Issue`` node of the bulk query say about backlint's comment:
    ``(True, comment or None)`` when they settle it, ``(False, None)`` when only a REST read of
    every comment can, so write-back need not read comments the bulk read already saw."""
    comments = node.get("comments") if isinstance(node.get("comments"), Mapping) else {}
    comment_nodes = _nodes(comments)
    total = comments.get("totalCount", len(comment_nodes))
    seen = [(str(c.get("databaseId")), c.get("body")) for c in comment_nodes]
    found = marker_comment(seen)
    if isinstance(total, int) and total <= len(comment_nodes):
        return True, found  # every comment was read: the answer is complete
    if found is not None and not found.duplicates and seen[0][0] != found.id:
        # Only the last comments were read. One marker with a comment of someone else's before
        # it is backlint's comment; duplicates seen, or a marker at the window's edge (a racing
        # twin could sit just before it), leave the answer to the REST read of every comment.
        return True, found
    return False, None


def ticket_from_graphql(node: Mapping[str, Any], repo: str) -> Ticket:
    """Map one ``Issue`` node of backlint's bulk query (see ``github_graphql``) to a Ticket.

    Besides the issue itself, the node carries the last few comments; they become activity.
    What they say about backlint's own comment is :func:`comment_from_graphql`'s answer.
    """
    number = node.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValueError("issue has no number")
    raw_body = _text(node, "body")
    state = (_text(node, "state") or "OPEN").lower()
    author, author_is_bot = _actor(node.get("author"))
    milestone = node.get("milestone") if isinstance(node.get("milestone"), Mapping) else None
    parent = node.get("parent") if isinstance(node.get("parent"), Mapping) else None
    parent_key = None
    if parent and isinstance(parent.get("number"), int):
        parent_repo = _text(_object(parent, "repository") or {}, "nameWithOwner") or repo
        parent_key = f"{parent_repo}#{parent['number']}"
    issue_type = node.get("issueType") if isinstance(node.get("issueType"), Mapping) else None
    priorities = []
    for item in _nodes(node.get("projectItems")):
        value = item.get("priority")
        if isinstance(value, Mapping) and value.get("name"):
            priorities.append(_text(value, "name", "priority."))
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
        "comments": comments.get("totalCount", len(comment_nodes)),
        **markup_kept(raw_body),
    }
    sub = node.get("subIssuesSummary")
    if isinstance(sub, Mapping) and sub.get("total"):
        fields["sub_issues"] = {"total": sub.get("total", 0), "completed": sub.get("completed", 0)}
    if milestone:
        fields["milestone_state"] = str(milestone.get("state") or "").lower() or None
        fields["milestone_due"] = milestone.get("dueOn")
    if priorities:
        fields["project_priorities"] = tuple(priorities)
    # The node's GraphQL id is all ``raw`` keeps: the rest is mapped above, not held for the run.
    raw = MappingProxyType({"id": node["id"]}) if isinstance(node.get("id"), str) else EMPTY
    return Ticket(
        key=f"{repo}#{number}",
        tracker="github",
        title=_text(node, "title").strip(),
        body=markdown_to_text(raw_body),
        url=_web_url(node.get("url")),
        kind=_text(issue_type, "name", "issueType.") if issue_type else "",
        status=state,
        status_category="done" if state == "closed" else "todo",
        priority=Priority(name=priorities[0], source="field") if priorities else None,
        labels=tuple(filter(None, (_label(n) for n in _nodes(node.get("labels"))))),
        assignees=tuple(filter(None, (_login(n) for n in _nodes(node.get("assignees"))))),
        reporter=author or None,
        created=created,
        updated=parse_time(node.get("updatedAt")),
        parent=parent_key,
        milestone=(_text(milestone, "title", "milestone.") or None) if milestone else None,
        activity=tuple(sorted(activity, key=lambda a: a.at)),
        fields=MappingProxyType(fields),
        raw=raw,
    )
