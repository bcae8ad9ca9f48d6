"""Keep the fake Jira honest: its Cloud responses must match Jira's published OpenAPI schemas.

Reads ``../shared/specs/jira-cloud-platform-v3.openapi.json`` and skips cleanly without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from fakes.jira_payloads import make_issue
from fakes.jira_server import FakeJira, environ_for

SPEC = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "specs"
    / ("jira-cloud-platform-v3.openapi.json")
)
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def spec():
    if not SPEC.is_file():
        pytest.skip("Jira OpenAPI description not present (../shared/specs)")
    return json.loads(SPEC.read_text(encoding="utf-8"))


def validate(spec, payload, schema):
    """Validate ``payload`` against a schema that may $ref the spec's components."""
    root = {**schema, "components": spec["components"]}
    validator = jsonschema.Draft7Validator(root)
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.fixture
def fake():
    with FakeJira(dialect="cloud", max_page=2) as server:
        server.add_issues(
            make_issue(f"SHOP-{n}", cloud=True, summary=f"Story {n}", description=("Text",))
            for n in range(1, 4)
        )
        server.comments["SHOP-1"].append(
            {
                "id": "1",
                "author": server.account,
                "updateAuthor": server.account,
                "body": {"type": "doc", "version": 1, "content": []},
                "created": server.now,
                "updated": server.now,
                "jsdPublic": True,
            }
        )
        yield server


def get(fake, path, **params):
    env = environ_for(fake)
    response = requests.get(
        f"{fake.url}/rest/api/3/{path}",
        params=params,
        timeout=10,
        auth=(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"]),
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_search_jql_pages_match_search_and_reconcile_results(spec, fake):
    first = get(
        fake, "search/jql", jql='project = "SHOP"', fields="summary,comment,labels", maxResults=2
    )
    validate(spec, first, ref("SearchAndReconcileResults"))
    assert first["isLast"] is False and first["nextPageToken"]
    last = get(
        fake,
        "search/jql",
        jql='project = "SHOP"',
        fields="*all",
        nextPageToken=first["nextPageToken"],
        maxResults=2,
    )
    validate(spec, last, ref("SearchAndReconcileResults"))
    assert last["isLast"] is True and "nextPageToken" not in last
    bare = get(fake, "search/jql", jql='project = "SHOP"')
    validate(spec, bare, ref("SearchAndReconcileResults"))
    assert "fields" not in bare["issues"][0]  # Cloud's default is id only


def test_issue_comment_field_and_server_info_match(spec, fake):
    validate(spec, get(fake, "issue/SHOP-1"), ref("IssueBean"))
    validate(spec, get(fake, "issue/SHOP-1/comment"), ref("PageOfComments"))
    validate(spec, get(fake, "issue/SHOP-1/comment/1"), ref("Comment"))
    validate(spec, get(fake, "field"), {"type": "array", "items": ref("FieldDetails")})
    info = get(fake, "serverInfo")
    validate(spec, info, ref("ServerInformation"))
    assert info["deploymentType"] == "Cloud"


def test_validation_catches_a_wrong_shape(spec, fake):
    broken = get(fake, "search/jql", jql='project = "SHOP"', fields="summary")
    broken["total"] = 3  # the old /search shape: not in the enhanced search response
    with pytest.raises(AssertionError, match="total"):
        validate(spec, broken, ref("SearchAndReconcileResults"))
