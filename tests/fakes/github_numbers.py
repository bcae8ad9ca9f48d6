"""The fake GitHub's answer to issues read by number (``BacklintIssuesByNumber``).

The query is read as GitHub reads it (parsed with graphql-core, not matched as text): each
aliased ``repository(owner:, name:)`` holds aliased ``issue(number:)`` fields, and the answer
nests the issue nodes under those aliases, in the shape the bulk query's nodes have. As on
GitHub, an unknown repository or issue number (deleted, or a pull request's number) is ``null``
at its alias with a ``NOT_FOUND`` error naming that path, all under HTTP 200, the other aliases
answered in full.
"""

from __future__ import annotations

from typing import Any

from .github_server import BASE_TIME, FakeGitHub


def _argument(field: Any, name: str, variables: dict[str, Any]) -> Any:
    from graphql import VariableNode, value_from_ast_untyped

    for argument in field.arguments or ():
        if argument.name.value == name:
            if isinstance(argument.value, VariableNode):
                return variables.get(argument.value.name.value)
            return value_from_ast_untyped(argument.value)
    return None


def _not_found(path: list[str], what: str) -> dict[str, Any]:
    return {"type": "NOT_FOUND", "path": path, "message": f"Could not resolve to {what}."}


def issues_by_number(fake: FakeGitHub, query: str, variables: dict[str, Any]):
    """``(200, payload, headers)`` for one by-number query (``route`` holds the fake's lock)."""
    from graphql import FieldNode, parse

    from .github_routes import _node

    operation = parse(query).definitions[0]
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for field in operation.selection_set.selections:  # type: ignore[attr-defined]
        if not isinstance(field, FieldNode):
            continue
        alias = field.alias.value if field.alias else field.name.value
        if field.name.value == "rateLimit":
            data[alias] = {"cost": 1, "remaining": fake.remaining, "resetAt": BASE_TIME}
            continue
        name = f"{_argument(field, 'owner', variables)}/{_argument(field, 'name', variables)}"
        repo = fake.repos.get(name)
        if repo is None:
            data[alias] = None
            errors.append(_not_found([alias], f"a Repository with the name '{name}'"))
            continue
        found: dict[str, Any] = {}
        for lookup in field.selection_set.selections:  # type: ignore[union-attr]
            key = lookup.alias.value if lookup.alias else lookup.name.value
            number = int(_argument(lookup, "number", variables))
            issue = repo.issues.get(number)
            if issue is None or "pull_request" in issue:
                found[key] = None
                errors.append(_not_found([alias, key], f"an Issue with the number of {number}"))
                continue
            node = _node(repo, issue, query, variables)
            if "projectItems" in query and fake.projects_forbidden:
                node["projectItems"] = None
                errors.append(
                    {
                        "type": "FORBIDDEN",
                        "path": [alias, key, "projectItems"],
                        "message": "Resource not accessible by integration",
                    }
                )
            found[key] = node
        data[alias] = found
    payload: dict[str, Any] = {"data": data}
    if errors:
        payload["errors"] = errors
    return 200, payload, fake.rate_headers("graphql")


def by_number_requests(fake: FakeGitHub) -> list[list[str]]:
    """Per by-number request the fake served: the ``owner/repo#N`` keys it asked for."""
    from graphql import FieldNode, parse

    asked = []
    for request in fake.requests("POST", "/api/graphql"):
        body = request.body or {}
        query = str(body.get("query") or "")
        if "BacklintIssuesByNumber" not in query:
            continue
        variables = body.get("variables") or {}
        keys = []
        for field in parse(query).definitions[0].selection_set.selections:  # type: ignore[attr-defined]
            if isinstance(field, FieldNode) and field.name.value == "repository":
                owner = _argument(field, "owner", variables)
                repo = f"{owner}/{_argument(field, 'name', variables)}"
                for lookup in field.selection_set.selections:  # type: ignore[union-attr]
                    keys.append(f"{repo}#{_argument(lookup, 'number', variables)}")
        asked.append(keys)
    return asked
