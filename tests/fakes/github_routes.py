"""The fake GitHub's routes: REST endpoints PyGithub calls and the GraphQL bulk query.

Each route returns ``(status, payload, headers)``. Shapes and behaviours follow GitHub's: REST
lists paginate with ``per_page`` (max 100) and a ``Link`` header (absent on a single page);
adding labels auto-creates unknown ones; removing a label the issue lacks is a 404; creating a
label that exists is a 422; GraphQL answers errors under HTTP 200.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from .github_server import BASE_TIME, FakeGitHub, _user, decode_cursor, encode_cursor

Answer = tuple[int, Any, dict[str, str]]

_REPO = r"^/api/v3/repos/(?P<repo>[^/]+/[^/]+)"


def route(fake: FakeGitHub, method: str, path: str, query: str, body: Any) -> Answer:
    """Dispatch one request."""
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    if path == "/api/graphql" and method == "POST":
        return graphql(fake, body or {})
    for pattern, verb, handler in _ROUTES:
        match = re.match(pattern, path)
        if match and verb == method:
            with fake._lock:
                answer = handler(fake, params=params, body=body, **match.groupdict())
                if fake.write_time and method != "GET" and answer[0] < 400:
                    _touch(fake, match.groupdict())
                return answer
    return 404, {"message": "Not Found"}, {}


def _touch(fake: FakeGitHub, found: dict[str, str]) -> None:
    """A write to an issue, its labels or its comments moves its ``updated_at``, as GitHub's
    does (only when the test sets ``fake.write_time``: a time, or a function giving one)."""
    repo = found.get("repo")
    if not repo or repo not in fake.repos:
        return
    number = found.get("number")
    if number is None and found.get("comment_id"):
        comment = fake.repo(repo).comments.get(int(found["comment_id"]))
        number = comment["_issue"] if comment else None
    issue = fake.repo(repo).issues.get(int(number)) if number is not None else None
    if issue is not None:
        stamp = fake.write_time
        issue["updated_at"] = stamp() if callable(stamp) else stamp


def _page(fake: FakeGitHub, path: str, items: list[Any], params: dict[str, str]) -> Answer:
    per_page = min(int(params.get("per_page", 30)), 100)
    page = max(int(params.get("page", 1)), 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    last = max((len(items) + per_page - 1) // per_page, 1)
    links = []
    url = f"{fake.api_url}{path[len('/api/v3') :]}"
    if page < last:
        links.append(f'<{url}?per_page={per_page}&page={page + 1}>; rel="next"')
        links.append(f'<{url}?per_page={per_page}&page={last}>; rel="last"')
    if page > 1:
        links.append(f'<{url}?per_page={per_page}&page={page - 1}>; rel="prev"')
        links.append(f'<{url}?per_page={per_page}&page=1>; rel="first"')
    return 200, chunk, ({"Link": ", ".join(links)} if links else {})


def _public(comment: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in comment.items() if not k.startswith("_")}


def get_repo(fake, params, body, repo):
    if repo not in fake.repos:
        return 404, {"message": "Not Found"}, {}
    owner, name = repo.split("/")
    return 200, {"id": 1, "name": name, "full_name": repo, "owner": _user(owner)}, {}


def list_issues(fake, params, body, repo):
    state = params.get("state", "open")
    items = [
        i
        for _, i in sorted(fake.repo(repo).issues.items())
        if state == "all" or i["state"] == state
    ]
    return _page(fake, f"/api/v3/repos/{repo}/issues", items, params)


def get_issue(fake, params, body, repo, number):
    issue = fake.repo(repo).issues.get(int(number))
    return (200, issue, {}) if issue else (404, {"message": "Not Found"}, {})


def list_comments(fake, params, body, repo, number):
    if int(number) not in fake.repo(repo).issues:
        return 404, {"message": "Not Found"}, {}
    items = [_public(c) for c in fake.comments_on(repo, int(number))]
    return _page(fake, f"/api/v3/repos/{repo}/issues/{number}/comments", items, params)


def create_comment(fake, params, body, repo, number):
    if int(number) not in fake.repo(repo).issues:
        return 404, {"message": "Not Found"}, {}
    if not isinstance(body, dict) or not isinstance(body.get("body"), str):
        return 422, {"message": "Validation Failed"}, {}
    comment = fake.add_comment(repo, int(number), body["body"], author="backlint[bot]", kind="Bot")
    return 201, _public(comment), {}


def _comment(fake, repo, comment_id):
    return fake.repo(repo).comments.get(int(comment_id))


def get_comment(fake, params, body, repo, comment_id):
    comment = _comment(fake, repo, comment_id)
    return (200, _public(comment), {}) if comment else (404, {"message": "Not Found"}, {})


def edit_comment(fake, params, body, repo, comment_id):
    comment = _comment(fake, repo, comment_id)
    if comment is None:
        return 404, {"message": "Not Found"}, {}
    comment["body"] = body["body"]
    comment["updated_at"] = BASE_TIME
    return 200, _public(comment), {}


def delete_comment(fake, params, body, repo, comment_id):
    comment = fake.repo(repo).comments.pop(int(comment_id), None)
    if comment is None:
        return 404, {"message": "Not Found"}, {}
    fake.repo(repo).issues[comment["_issue"]]["comments"] -= 1
    return 204, None, {}


def add_labels(fake, params, body, repo, number):
    issue = fake.repo(repo).issues.get(int(number))
    if issue is None:
        return 404, {"message": "Not Found"}, {}
    names = body.get("labels", []) if isinstance(body, dict) else body or []
    have = {label["name"].lower() for label in issue["labels"]}
    for name in names:
        if name.lower() not in have:
            issue["labels"].append(fake._label(repo, name))  # GitHub creates unknown labels
            have.add(name.lower())
    return 200, issue["labels"], {}


def remove_label(fake, params, body, repo, number, name):
    issue = fake.repo(repo).issues.get(int(number))
    if issue is None:
        return 404, {"message": "Not Found"}, {}
    kept = [label for label in issue["labels"] if label["name"].lower() != name.lower()]
    if len(kept) == len(issue["labels"]):
        return 404, {"message": "Label does not exist"}, {}
    issue["labels"] = kept
    return 200, kept, {}


def list_labels(fake, params, body, repo):
    items = sorted(fake.repo(repo).labels.values(), key=lambda label: label["name"].lower())
    return _page(fake, f"/api/v3/repos/{repo}/labels", items, params)


def create_label(fake, params, body, repo):
    name = (body or {}).get("name", "")
    if name.lower() in fake.repo(repo).labels:
        return 422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}, {}
    label = fake.add_label(repo, name, body.get("color", "ededed"), body.get("description", ""))
    return 201, label, {}


def repo_installation(fake, params, body, repo):
    if repo not in fake.repos:
        return 404, {"message": "Not Found"}, {}
    return 200, {"id": 4242, "app_id": 1, "target_type": "Organization"}, {}


def installation_token(fake, params, body, installation):
    fake.installation_tokens += 1
    return 201, {"token": fake.token, "expires_at": "2099-01-01T00:00:00Z"}, {}


#: Routes a GitHub App calls with its JWT (``Bearer``), not with an installation token.
APP_ROUTES = (r"^/api/v3/repos/[^/]+/[^/]+/installation$", r"^/api/v3/app/installations/\d+/")

_ROUTES = [
    (_REPO + r"/installation$", "GET", repo_installation),
    (
        r"^/api/v3/app/installations/(?P<installation>\d+)/access_tokens$",
        "POST",
        installation_token,
    ),
    (_REPO + r"$", "GET", get_repo),
    (_REPO + r"/issues$", "GET", list_issues),
    (_REPO + r"/issues/comments/(?P<comment_id>\d+)$", "GET", get_comment),
    (_REPO + r"/issues/comments/(?P<comment_id>\d+)$", "PATCH", edit_comment),
    (_REPO + r"/issues/comments/(?P<comment_id>\d+)$", "DELETE", delete_comment),
    (_REPO + r"/issues/(?P<number>\d+)$", "GET", get_issue),
    (_REPO + r"/issues/(?P<number>\d+)/comments$", "GET", list_comments),
    (_REPO + r"/issues/(?P<number>\d+)/comments$", "POST", create_comment),
    (_REPO + r"/issues/(?P<number>\d+)/labels$", "POST", add_labels),
    (_REPO + r"/issues/(?P<number>\d+)/labels/(?P<name>.+)$", "DELETE", remove_label),
    (_REPO + r"/labels$", "GET", list_labels),
    (_REPO + r"/labels$", "POST", create_label),
]


# -- GraphQL ------------------------------------------------------------------------------
def _gql_error(message: str, **extra: Any) -> Answer:
    return 200, {"errors": [{"message": message, **extra}]}, {}


def graphql(fake: FakeGitHub, request: dict[str, Any]) -> Answer:
    """Serve backlint's queries (bulk issues, issues by number, milestone lookup, an owner's
    repositories) as GitHub would."""
    query = request.get("query") or ""
    variables = request.get("variables") or {}
    if "BacklintRepositories" in query:
        with fake._lock:
            return _repositories(fake, variables)
    if "issueType" in query and not fake.issue_types:
        return _gql_error(
            "Field 'issueType' doesn't exist on type 'Issue'",
            extensions={"code": "undefinedField", "typeName": "Issue", "fieldName": "issueType"},
        )
    if "BacklintIssuesByNumber" in query:
        from .github_numbers import issues_by_number

        with fake._lock:
            return issues_by_number(fake, query, variables)
    repo_name = f"{variables.get('owner')}/{variables.get('name')}"
    if repo_name not in fake.repos:
        return (
            200,
            {
                "data": {"repository": None},
                "errors": [
                    {
                        "type": "NOT_FOUND",
                        "path": ["repository"],
                        "message": "Could not resolve to a Repository with the name "
                        f"'{repo_name}'.",
                    }
                ],
            },
            {},
        )
    repo = fake.repos[repo_name]
    with fake._lock:
        if "BacklintMilestone" in query:
            return _milestones(repo, variables)
        if "BacklintIssues" not in query:
            return _gql_error("fake GitHub: unknown query")
        return _issues(fake, repo, query, variables)


def _milestones(repo, variables) -> Answer:
    seen = {}
    for issue in repo.issues.values():
        milestone = issue.get("milestone")
        if milestone and variables["title"].lower() in milestone["title"].lower():
            seen[milestone["number"]] = {"number": milestone["number"], "title": milestone["title"]}
    nodes = list(seen.values())
    return 200, {"data": {"repository": {"milestones": {"nodes": nodes}}}}, {}


def _issues(fake, repo, query: str, variables: dict[str, Any]) -> Answer:
    first = int(variables.get("pageSize") or 0)
    if not 1 <= first <= 100:
        return _gql_error(
            f"Requesting {first} records on the `issues` connection exceeds the `first` limit "
            "of 100 records."
        )
    states = variables.get("states")
    labels = {name.lower() for name in variables.get("labels") or ()}
    since = variables.get("since")
    milestone = variables.get("milestone")
    after = decode_cursor(variables.get("cursor"))

    def wanted(issue: dict[str, Any]) -> bool:
        if "pull_request" in issue:
            return False  # the issues connection holds no pull requests
        if states and issue["state"].upper() not in states:
            return False
        if labels and not labels & {label["name"].lower() for label in issue["labels"]}:
            return False  # GitHub's filter matches any of the labels
        if since and issue["updated_at"] < since:
            return False
        return not milestone or str((issue.get("milestone") or {}).get("number")) == milestone

    order, position = repo.ordered()
    start = position[after] + 1 if after in position else 0
    if variables.get("direction") == "DESC":
        order = order[::-1]
        start = len(order) - position[after] if after in position else 0
    chunk: list[dict[str, Any]] = []
    has_next = False
    for issue in order[start:]:
        if wanted(issue):
            if len(chunk) == first:
                has_next = True
                break
            chunk.append(issue)
    if states == ["OPEN"] and not (labels or since or milestone):
        total = repo.open_issue_count()  # the same count; a generated repository keeps no list
    else:
        total = sum(1 for issue in order if wanted(issue))
    projects = "projectItems" in query
    errors = []
    nodes = []
    for index, issue in enumerate(chunk):
        node = _node(repo, issue, query, variables)
        if projects and fake.projects_forbidden:
            node["projectItems"] = None
            errors.append(
                {
                    "type": "FORBIDDEN",
                    "path": ["repository", "issues", "nodes", index, "projectItems"],
                    "message": "Resource not accessible by integration",
                }
            )
        nodes.append(node)
    data = {
        "rateLimit": {"cost": 1, "remaining": fake.remaining, "resetAt": BASE_TIME},
        "repository": {
            "issues": {
                "totalCount": total,
                "pageInfo": {
                    "hasNextPage": has_next,
                    "endCursor": encode_cursor(chunk[-1]["number"]) if chunk else None,
                },
                "nodes": nodes,
            }
        },
    }
    payload: dict[str, Any] = {"data": data}
    if errors:
        payload["errors"] = errors
    return 200, payload, fake.rate_headers("graphql")


def _actor(user: dict[str, Any] | None) -> dict[str, Any] | None:
    if not user:
        return None
    return {"__typename": "Bot" if user.get("type") == "Bot" else "User", "login": user["login"]}


def _node(repo, issue: dict[str, Any], query: str, variables: dict[str, Any]) -> dict[str, Any]:
    number = issue["number"]
    milestone = issue.get("milestone")
    parent = repo.parents.get(number)
    mine = [c for c in repo.comments_by_issue.get(number, ()) if c["id"] in repo.comments]
    last = mine[-int(variables.get("comments") or 0) :] if variables.get("comments") else []
    node: dict[str, Any] = {
        "id": issue["node_id"],
        "number": number,
        "title": issue["title"],
        "body": issue["body"] or "",
        "url": issue["html_url"],
        "state": issue["state"].upper(),
        "createdAt": issue["created_at"],
        "updatedAt": issue["updated_at"],
        "author": _actor(issue["user"]),
        "labels": {"nodes": [{"name": label["name"]} for label in issue["labels"]]},
        "assignees": {"nodes": [{"login": a["login"]} for a in issue["assignees"]]},
        "milestone": {
            "title": milestone["title"],
            "number": milestone["number"],
            "state": milestone["state"].upper(),
            "dueOn": milestone["due_on"],
        }
        if milestone
        else None,
        "parent": {"number": parent, "repository": {"nameWithOwner": repo.full_name}}
        if parent
        else None,
        "subIssuesSummary": {
            "total": issue["sub_issues_summary"]["total"],
            "completed": issue["sub_issues_summary"]["completed"],
        },
        "comments": {
            "totalCount": len(mine),
            "nodes": [
                {
                    "databaseId": c["id"],
                    "createdAt": c["created_at"],
                    "body": c["body"],
                    "author": _actor(c["user"]),
                }
                for c in last
            ],
        },
    }
    if "projectItems" in query:
        priority = repo.priorities.get(number)
        value = {"__typename": "ProjectV2ItemFieldSingleSelectValue", "name": priority}
        node["projectItems"] = {"nodes": [{"priority": value}] if priority else []}
    if "issueType" in query:
        kind = issue.get("type")
        node["issueType"] = {"name": kind["name"]} if kind else None
    return node


def _repositories(fake: FakeGitHub, variables: dict[str, Any]) -> Answer:
    """``repositoryOwner(login:) { repositories(first: 100, isArchived: false, ...) }``: the
    owner's repositories by name, archived ones left out as GitHub's filter does; an unknown
    login is ``repositoryOwner: null`` with no error, as on GitHub."""
    login = str(variables.get("login") or "")
    owned = sorted(
        (repo for name, repo in fake.repos.items() if name.split("/")[0].lower() == login.lower()),
        key=lambda repo: repo.full_name.lower(),
    )
    if not owned and login.lower() not in {owner.lower() for owner in fake.owners}:
        return 200, {"data": {"rateLimit": _rate(fake), "repositoryOwner": None}}, {}
    listed = [repo for repo in owned if not repo.archived]
    after = int(decode_cursor(variables.get("cursor")))
    chunk = listed[after : after + 100]
    nodes = [
        {
            "nameWithOwner": repo.full_name,
            "hasIssuesEnabled": repo.has_issues,
            "isArchived": repo.archived,
            "issues": {"totalCount": repo.open_issue_count()},
        }
        for repo in chunk
    ]
    end = after + len(chunk)
    owner = {
        "login": owned[0].full_name.split("/")[0] if owned else login,
        "repositories": {
            "totalCount": len(listed),
            "pageInfo": {
                "hasNextPage": end < len(listed),
                "endCursor": encode_cursor(end) if chunk else None,
            },
            "nodes": nodes,
        },
    }
    data = {"rateLimit": _rate(fake), "repositoryOwner": owner}
    return 200, {"data": data}, fake.rate_headers("graphql")


def _rate(fake: FakeGitHub) -> dict[str, Any]:
    return {"cost": 1, "remaining": fake.remaining, "resetAt": BASE_TIME}
