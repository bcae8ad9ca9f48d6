"""Bulk reads for audits: one GraphQL query per 100 issues over httpx, cursor-paged.

Each page brings everything the rules need (body, labels, milestone, assignees, author, parent,
sub-issue summary, Projects v2 Priority field, the last few comments), so an audit of N issues
costs ceil(N/100) requests. The ``issues`` connection holds no pull requests. Stored tickets an
incremental audit reads again are read by number with the same fields, 100 aliased
``issue(number:)`` lookups a request across any repositories (:func:`issues_by_number`).

GitHub answers some failures with HTTP 200 and an ``errors`` array; those are read here:
``RATE_LIMITED`` waits and retries, errors confined to ``projectItems`` (the workflow token
cannot read Projects) drop that part of the query with a note, an unknown ``issueType`` field
(older GitHub Enterprise Server) drops that field, and anything else is a TrackerError with
GitHub's own message. httpx is imported when a client is built, not at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backlint.errors import TrackerError
from backlint.trackers.github.limits import Failure, Pacer, give_up_message

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

#: The fields of an issue every read for audits takes: the bulk query's nodes and the issues
#: read again by number (:func:`issues_by_number_query`), so both map the same way.
_FIELDS = """
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
        }"""

_QUERY = """query BacklintIssues($owner: String!, $name: String!, $pageSize: Int!, $cursor: String,
    $states: [IssueState!], $labels: [String!], $since: DateTime, $milestone: String,
    $comments: Int!, $direction: OrderDirection!%(priority_var)s) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issues(first: $pageSize, after: $cursor, orderBy: {field: CREATED_AT, direction: $direction},
        filterBy: {states: $states, labels: $labels, since: $since, milestoneNumber: $milestone}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {%(fields)s
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
        "fields": issue_fields(projects, issue_type),
    }


def issue_fields(projects: bool = True, issue_type: bool = False) -> str:
    """The issue fields both reads take, with the optional parts the shape still carries."""
    return _FIELDS % {
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
    streams: int = 2  # 2: read from both ends at once; 1: strictly one request at a time


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
                failure, body = _failure_of(response)
                if failure is None:
                    self.pacer.pause_if_exhausted(response.headers)
                    return body
            if not self.pacer.wait_before_retry(failure, attempt, idempotent=True):
                if failure.status == 401:
                    raise TrackerError("GitHub rejected the token (HTTP 401); check GITHUB_TOKEN")
                raise TrackerError(give_up_message(failure))
            attempt += 1


def _failure_of(response: Any) -> tuple[Failure | None, Any]:
    """(None, the parsed body) for a usable answer; else (the failure, None): HTTP errors and
    RATE_LIMITED under 200. The body is parsed once (a page of 100 issues is large)."""
    if response.status_code >= 400:
        try:
            message = str(response.json().get("message", ""))
        except ValueError:
            message = ""
        return Failure(response.status_code, dict(response.headers), message), None
    try:
        body = response.json()
    except ValueError:
        return Failure(502, dict(response.headers), "the answer was not JSON"), None
    for error in body.get("errors") or ():
        if isinstance(error, Mapping) and (
            error.get("type") == "RATE_LIMITED"
            or "rate limit" in str(error.get("message", "")).lower()
        ):
            return Failure(200, dict(response.headers), str(error.get("message")), True), None
    return None, body


def drop_refused_parts(body: Mapping[str, Any], shape: QueryShape, notify) -> bool:
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


def issues_of(body: Mapping[str, Any], owner: str, name: str) -> Mapping[str, Any]:
    repository = (body.get("data") or {}).get("repository")
    if not isinstance(repository, Mapping):
        raise TrackerError(f"repository {owner}/{name} not found, or this token cannot see it")
    return repository.get("issues") or {}


def issues_by_number_query(repositories: Sequence[Sequence[int]], shape: QueryShape) -> str:
    """One query reading issues by number: ``r{i}: repository(owner: $o{i}, name: $n{i})`` for
    each repository, ``i{N}: issue(number: N)`` inside it for each issue, every issue with the
    fields of the bulk query (one fragment). Numbers are ints, written into the query."""
    declared = ["$comments: Int!"] + (["$priorityField: String!"] if shape.projects else [])
    lookups = []
    for index, numbers in enumerate(repositories):
        declared += [f"$o{index}: String!", f"$n{index}: String!"]
        issues = "\n".join(
            f"    i{int(n)}: issue(number: {int(n)}) {{ ...BacklintIssue }}" for n in numbers
        )
        lookups.append(
            f"  r{index}: repository(owner: $o{index}, name: $n{index}) {{\n{issues}\n  }}"
        )
    return (
        f"query BacklintIssuesByNumber({', '.join(declared)}) {{\n"
        "  rateLimit { cost remaining resetAt }\n" + "\n".join(lookups) + "\n}\n"
        "fragment BacklintIssue on Issue {"
        + issue_fields(shape.projects, shape.issue_type)
        + "\n}\n"
    )


def issues_by_number(
    client: GraphQLClient, shape: QueryShape, refs: Sequence[tuple[str, str, int]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index in refs, Issue node)`` for the issues ``refs`` name (owner, name, number), in
    their order, 100 a request (any mix of repositories), paced and retried like the bulk
    read. An issue or repository GitHub no longer has (deleted, transferred, a pull request's
    number: ``null`` and a NOT_FOUND error under HTTP 200) is left out; other errors are a
    TrackerError, as in the bulk read."""
    for start in range(0, len(refs), PAGE_SIZE):
        chunk = refs[start : start + PAGE_SIZE]
        repositories: dict[tuple[str, str], dict[int, int]] = {}
        for offset, (owner, name, number) in enumerate(chunk):
            wanted = repositories.setdefault((owner, name), {})
            wanted.setdefault(int(number), start + offset)
        data = _numbers_page(client, shape, repositories)
        found: dict[int, dict[str, Any]] = {}
        for index, wanted in enumerate(repositories.values()):
            repository = data.get(f"r{index}")
            for number, position in wanted.items():
                node = repository.get(f"i{number}") if isinstance(repository, Mapping) else None
                if isinstance(node, dict) and node.get("number") == number:
                    found[position] = node
        yield from sorted(found.items())


def _numbers_page(
    client: GraphQLClient, shape: QueryShape, repositories: Mapping[tuple[str, str], Any]
) -> Mapping[str, Any]:
    """The ``data`` of one by-number query; sent again without a part GitHub refuses."""
    while True:
        variables: dict[str, Any] = {"comments": shape.comments}
        if shape.projects:
            variables["priorityField"] = shape.priority_field
        for index, (owner, name) in enumerate(repositories):
            variables[f"o{index}"], variables[f"n{index}"] = owner, name
        query = issues_by_number_query([list(w) for w in repositories.values()], shape)
        body = client.execute(query, variables)
        errors = [
            error
            for error in body.get("errors") or ()
            if not (isinstance(error, Mapping) and error.get("type") == "NOT_FOUND")
        ]
        if not drop_refused_parts({**body, "errors": errors}, shape, client.pacer.notify):
            return body.get("data") or {}
