"""The shapes of export documents and how each entry becomes a ticket.

:func:`detect_shape` names a parsed document's shape; :func:`tickets_from_document` maps every
ticket of a whole document; :func:`github_ticket` and :func:`jira_ticket` map one entry, so the
streaming reader (:mod:`backlint.trackers.files`) can map entries as it reads them. One
malformed entry becomes a ticket with a load error, never a failed file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from backlint.config.config import Config
from backlint.errors import SourceError
from backlint.model import Ticket
from backlint.trackers.github.mapping import is_pull_request, repo_of, ticket_from_rest
from backlint.trackers.jira.mapping import JiraFields, ticket_from_issue

_FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

SHAPES = (
    "a GitHub REST issues array, a GitHub webhook payload, a Jira search response, "
    "a Jira issue, or JSON Lines of these"
)


def detect_shape(data: Any) -> str | None:
    """Name the shape of a parsed JSON document, or None when it is none we know."""
    if isinstance(data, list):
        if not data:
            return "empty"
        first = data[0]
        if isinstance(first, Mapping) and "fields" in first and "key" in first:
            return "jira-issues"
        if isinstance(first, Mapping) and "number" in first and "title" in first:
            return "github-issues"
        return None
    if not isinstance(data, Mapping):
        return None
    if isinstance(data.get("issue"), Mapping) and "number" in data["issue"]:
        return "github-webhook"
    if isinstance(data.get("issues"), list):
        return "jira-search"
    if "key" in data and isinstance(data.get("fields"), Mapping):
        return "jira-issue"
    if "number" in data and "title" in data:
        return "github-issue"
    return None


def tickets_from_document(data: Any, config: Config, where: str) -> Iterator[Ticket]:
    """Every ticket in one parsed document; raises SourceError for unknown shapes."""
    shape = detect_shape(data)
    if shape is None:
        raise SourceError(f"{where}: unknown JSON shape: expected {SHAPES}")
    jira = config.section("jira")
    if shape == "github-webhook":
        yield from _github([data["issue"]], _webhook_repo(data.get("repository")))
    elif shape in ("github-issues", "github-issue"):
        yield from _github(data if isinstance(data, list) else [data], "")
    elif shape == "jira-search":
        names = data.get("names") if isinstance(data.get("names"), Mapping) else None
        fields = JiraFields.resolve(jira.get("fields"), names)
        yield from _jira(data["issues"], fields, str(jira.get("url", "")))
    elif shape in ("jira-issue", "jira-issues"):
        names = data.get("names") if isinstance(data, Mapping) else None
        fields = JiraFields.resolve(jira.get("fields"), names)
        yield from _jira(
            data if isinstance(data, list) else [data], fields, str(jira.get("url", ""))
        )


def _webhook_repo(repository: Any) -> str:
    """``owner/name`` from a webhook's ``repository`` object; "" when it is missing or odd."""
    name = repository.get("full_name") if isinstance(repository, Mapping) else None
    return name if isinstance(name, str) and _FULL_NAME.match(name) else ""


def _github(issues: Iterable[Any], repo: str) -> Iterator[Ticket]:
    for index, issue in enumerate(issues):
        ticket = github_ticket(index, issue, repo)
        if ticket is not None:
            yield ticket


def github_ticket(index: int, issue: Any, repo: str) -> Ticket | None:
    """Entry ``index`` of a GitHub export as a ticket; None for a pull request."""
    if isinstance(issue, Mapping) and is_pull_request(issue):
        return None
    try:
        if not isinstance(issue, Mapping):
            raise ValueError("entry is not an object")
        return ticket_from_rest(issue, repo)
    except Exception as err:  # one bad ticket must not stop the audit of the others
        return _unreadable(issue, index, err, repo or _repo_in(issue))


def _jira(issues: Iterable[Any], fields: JiraFields, base_url: str) -> Iterator[Ticket]:
    for index, issue in enumerate(issues):
        yield jira_ticket(index, issue, fields, base_url)


def jira_ticket(index: int, issue: Any, fields: JiraFields, base_url: str) -> Ticket:
    """Entry ``index`` of a Jira export as a ticket."""
    try:
        if not isinstance(issue, Mapping):
            raise ValueError("entry is not an object")
        return ticket_from_issue(issue, fields, base_url.rstrip("/"))
    except Exception as err:
        return _unreadable(issue, index, err, "")


def _repo_in(issue: Any) -> str:
    """The repository an unreadable issue's own URLs name, to give it a recognisable key."""
    try:
        return repo_of(issue) if isinstance(issue, Mapping) else ""
    except Exception:  # an odd URL only costs the key its repository
        return ""


def _unreadable(issue: Any, index: int, err: Exception, repo: str) -> Ticket:
    key = None
    if isinstance(issue, Mapping):
        key = issue.get("key") or (
            f"{repo}#{issue['number']}" if isinstance(issue.get("number"), int) else None
        )
    if not isinstance(key, str) or not key.strip():
        key = f"entry {index + 1}"
    if isinstance(err, RecursionError):
        reason = "it is nested too deeply to read"
    else:
        reason = (str(err).splitlines() or [""])[0] or type(err).__name__
    return Ticket(
        key=key,
        tracker="file",
        load_error=f"could not read this ticket: {reason}",
    )
