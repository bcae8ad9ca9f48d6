"""Bulk reads for audits: one GraphQL query per 100 issues over httpx, cursor-paged.

Each page brings everything the rules need (body, labels, milestone, assignees, author, parent,
sub-issue summary, Projects v2 Priority field, the last few comments), so an audit of N issues
costs ceil(N/100) requests. The ``issues`` connection holds no pull requests.

GitHub answers some failures with HTTP 200 and an ``errors`` array; those are read here:
``RATE_LIMITED`` waits and retries, errors confined to ``projectItems`` (the workflow token
cannot read Projects) drop that part of the query with a note, an unknown ``issueType`` field
(older GitHub Enterprise Server) drops that field, and anything else is a TrackerError with
GitHub's own message. httpx is imported when a client is built, not at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from backlint.errors import TrackerError
from backlint.trackers.base import FetchOptions
from backlint.trackers.github_limits import Failure, Pacer, give_up_message

PAGE_SIZE = 100

_PROJECTS = """
        projectItems(first: 10) {
          nodes {
            priority: fieldValueByName(name: $priorityField) {
              __typename
              ... on ProjectV2ItemFieldSingleSelectValue { name }
            }
          }
        }"""

_ISSUE_TYPE = """
        issueType { name }"""

_QUERY = """query BacklintIssues($owner: String!, $name: String!, $pageSize: Int!, $cursor: String,
    $states: [IssueState!], $labels: [String!], $since: DateTime, $milestone: String,
    $comments: Int!%(priority_var)s) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issues(first: $pageSize, after: $cursor, orderBy: {field: CREATED_AT, direction: ASC},
        filterBy: {states: $states, labels: $labels, since: $since, milestoneNumber: $milestone}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title body url state createdAt updatedAt
        author { __typename login }
        labels(first: 50) { nodes { name } }
        assignees(first: 20) { nodes { login } }
        milestone { title number state dueOn }
        parent { number repository { nameWithOwner } }
        subIssuesSummary { total completed }%(projects)s%(issue_type)s
        comments(last: $comments) {
          totalCount
          nodes { databaseId createdAt body author { __typename login } }
        }
      }
    }
  }
}
"""

MILESTONE_QUERY = """query BacklintMilestone($owner: String!, $name: String!, $title: String!) {
  repository(owner: $owner, name: $name) {
    milestones(first: 100, query: $title) { nodes { number title } }
  }
}
"""


def issues_query(projects: bool = True, issue_type: bool = False) -> str:
    """The bulk query. ``issue_type`` adds ``Issue.issueType``, which the public schema lacks."""
    return _QUERY % {
        "priority_var": ", $priorityField: String!" if projects else "",
        "projects": _PROJECTS if projects else "",
        "issue_type": _ISSUE_TYPE if issue_type else "",
    }


@dataclass
class QueryShape:
    """Which optional parts the bulk query still carries; parts GitHub refuses are dropped."""

    projects: bool = True
    issue_type: bool = True
    priority_field: str = "Priority"
    comments: int = 10


class GraphQLClient:
    """POSTs queries to GitHub's GraphQL endpoint with the rate-limit and retry policy."""

    def __init__(
        self,
        url: str,
        token: Callable[[], str],
        pacer: Pacer,
        transport: Any = None,
        timeout: float = 30.0,
    ) -> None:
        import httpx

        self.url = url
        self._token = token
        self.pacer = pacer
        self.requests = 0
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=10.0),
            follow_redirects=True,
            transport=transport,
            headers={
                "User-Agent": "backlint",
                "Accept": "application/vnd.github+json",
                # Issue types were a preview behind this header on some servers; harmless elsewhere.
                "GraphQL-Features": "issue_types",
            },
        )

    def close(self) -> None:
        self._http.close()

    def execute(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The parsed JSON body (``data`` and maybe ``errors``) of one query, after retries."""
        import httpx

        attempt = 0
        while True:
            self.requests += 1
            try:
                response = self._http.post(
                    self.url,
                    json={"query": query, "variables": dict(variables)},
                    headers={"Authorization": f"bearer {self._token()}"},
                )
            except httpx.TransportError as err:
                failure = Failure(0, message=type(err).__name__)
            else:
                failure = _failure_of(response)
                if failure is None:
                    self.pacer.pause_if_exhausted(response.headers)
                    return response.json()
            if not self.pacer.wait_before_retry(failure, attempt, idempotent=True):
                if failure.status == 401:
                    raise TrackerError("GitHub rejected the token (HTTP 401); check GITHUB_TOKEN")
                raise TrackerError(give_up_message(failure))
            attempt += 1


def _failure_of(response: Any) -> Failure | None:
    """None for a usable answer; else the failure (HTTP errors and RATE_LIMITED under 200)."""
    if response.status_code >= 400:
        try:
            message = str(response.json().get("message", ""))
        except ValueError:
            message = ""
        return Failure(response.status_code, dict(response.headers), message)
    try:
        body = response.json()
    except ValueError:
        return Failure(502, dict(response.headers), "the answer was not JSON")
    for error in body.get("errors") or ():
        if isinstance(error, Mapping) and (
            error.get("type") == "RATE_LIMITED"
            or "rate limit" in str(error.get("message", "")).lower()
        ):
            return Failure(200, dict(response.headers), str(error.get("message")), True)
    return None


def fetch_issue_nodes(
    client: GraphQLClient,
    owner: str,
    name: str,
    options: FetchOptions,
    shape: QueryShape,
    on_total: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield the Issue nodes the options select, page by page (one request per 100)."""
    variables: dict[str, Any] = {
        "owner": owner,
        "name": name,
        "comments": shape.comments,
        "states": {"open": ["OPEN"], "closed": ["CLOSED"]}.get(options.state),
        "labels": list(options.labels) or None,
        "since": options.since.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if options.since
        else None,
        "milestone": _milestone_number(client, owner, name, options.milestone),
        "cursor": None,
    }
    remaining = options.limit
    total_reported = False
    while remaining is None or remaining > 0:
        variables["pageSize"] = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
        if shape.projects:
            variables["priorityField"] = shape.priority_field
        else:
            variables.pop("priorityField", None)
        body = client.execute(issues_query(shape.projects, shape.issue_type), variables)
        if _drop_refused_parts(body, shape, client.pacer.notify):
            continue  # same cursor, smaller query
        issues = _issues_of(body, owner, name)
        if on_total and not total_reported:
            on_total(int(issues.get("totalCount") or 0))
            total_reported = True
        nodes = [node for node in issues.get("nodes") or () if node]
        for node in nodes:
            if options.labels and not _has_all(node, options.labels):
                continue  # GitHub's label filter matches any; backlint's means all
            yield node
            if remaining is not None:
                remaining -= 1
                if remaining <= 0:
                    return
        page = issues.get("pageInfo") or {}
        if not page.get("hasNextPage") or not nodes:
            return
        variables["cursor"] = page.get("endCursor")


def _drop_refused_parts(body: Mapping[str, Any], shape: QueryShape, notify) -> bool:
    """True when the query must be re-sent without a part GitHub refused (issueType only).

    Projects errors leave the rest of the data usable: the page is kept and later pages skip
    Projects, so no request is repeated.
    """
    errors = [e for e in body.get("errors") or () if isinstance(e, Mapping)]
    if not errors:
        return False
    if shape.issue_type and any("issueType" in str(e.get("message", "")) for e in errors):
        shape.issue_type = False
        return True
    if shape.projects and all("projectItems" in map(str, e.get("path") or ()) for e in errors):
        shape.projects = False
        notify(
            "this token cannot read Projects (v2); the Priority field is ignored "
            "(use a PAT or a GitHub App token to read it)"
        )
        return False
    if any(e.get("type") == "NOT_FOUND" and e.get("path") == ["repository"] for e in errors):
        return False  # _issues_of names the repository
    messages = "; ".join(str(e.get("message", "")).strip() for e in errors[:3])
    raise TrackerError(f"GitHub GraphQL error: {messages}")


def _issues_of(body: Mapping[str, Any], owner: str, name: str) -> Mapping[str, Any]:
    repository = (body.get("data") or {}).get("repository")
    if not isinstance(repository, Mapping):
        raise TrackerError(f"repository {owner}/{name} not found, or this token cannot see it")
    return repository.get("issues") or {}


def _has_all(node: Mapping[str, Any], labels: tuple[str, ...]) -> bool:
    names = {
        str(n.get("name", "")).lower() for n in (node.get("labels") or {}).get("nodes") or () if n
    }
    return all(label.lower() in names for label in labels)


def _milestone_number(client: GraphQLClient, owner: str, name: str, milestone: str | None):
    """``--milestone`` as GitHub's filter wants it: a number, ``*``, or a title looked up once."""
    if milestone is None or milestone == "*" or milestone.isdigit():
        return milestone
    if milestone.lower() == "none":
        return "null"
    body = client.execute(MILESTONE_QUERY, {"owner": owner, "name": name, "title": milestone})
    if body.get("errors"):
        raise TrackerError(f"GitHub GraphQL error: {body['errors'][0].get('message', '')}")
    repository = (body.get("data") or {}).get("repository") or {}
    for node in (repository.get("milestones") or {}).get("nodes") or ():
        if node and str(node.get("title", "")).lower() == milestone.lower():
            return str(node["number"])
    raise TrackerError(f"no milestone titled {milestone!r} in {owner}/{name}")
