"""Jira settings, dialect detection, retries and error text (against the fake Jira)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.jira_server import CLOUD_TOKEN, DC_PAT, FakeJira, environ_for

from backlint.errors import TrackerError
from backlint.trackers.jira.client import JiraClient, JiraSettings, jira_messages, safe_url


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "JIRA_URL is not set"),
        ({"JIRA_URL": "https://acme.atlassian.net"}, "credentials missing"),
        ({"JIRA_URL": "https://a.example", "JIRA_EMAIL": "me@a.example"}, "JIRA_API_TOKEN missing"),
        ({"JIRA_URL": "https://a.example", "JIRA_API_TOKEN": "t0ken"}, "JIRA_EMAIL missing"),
        ({"JIRA_URL": "ftp://a.example", "JIRA_PAT": "p"}, "not an http"),
    ],
)
def test_missing_or_bad_settings_name_what_is_missing(environ, expected):
    with pytest.raises(TrackerError, match=expected) as caught:
        JiraSettings.from_env(environ)
    assert "t0ken" not in str(caught.value)


def test_settings_never_show_the_secret():
    settings = JiraSettings.from_env({"JIRA_URL": "https://a.example/", "JIRA_PAT": "p-SECRET"})
    assert settings.url == "https://a.example" and "SECRET" not in repr(settings)
    config_url = JiraSettings.from_env({"JIRA_PAT": "p"}, config_url="https://cfg.example")
    assert config_url.url == "https://cfg.example"


def test_safe_url_drops_user_info():
    assert safe_url("https://bob:pw@jira.example:8443/ctx") == "https://jira.example:8443/ctx"
    assert safe_url("https://jira.example") == "https://jira.example"


def test_jira_messages_joins_error_messages_and_field_errors():
    body = {"errorMessages": ["Bad query."], "errors": {"labels": "contains spaces"}}
    assert jira_messages(body) == "Bad query.; labels: contains spaces"
    assert jira_messages("not json") == ""


@pytest.mark.parametrize(
    ("dialect", "version", "cloud"), [("cloud", "3", True), ("dc", "2", False)]
)
def test_detect_picks_rest_version_from_deployment_type(dialect, version, cloud):
    with FakeJira(dialect=dialect) as fake:
        client = JiraClient(JiraSettings.from_env(environ_for(fake)))
        client.detect()
        assert (client.api_version, client.is_cloud) == (version, cloud)
        assert fake.log[0].path == "/rest/api/2/serverInfo"
        client.close()


def test_server_info_is_retried_on_429_with_retry_after():
    with FakeJira(dialect="cloud") as fake:
        fake.fail(
            "GET", "serverInfo", 429, {"Retry-After": "3", "RateLimit-Reason": "jira-burst-based"}
        )
        sleeps = Sleeps()
        client = JiraClient(JiraSettings.from_env(environ_for(fake)), sleep=sleeps)
        client.detect()
        assert sleeps == [3.0] and client.is_cloud and client.requests_made == 2


def test_backoff_without_retry_after_grows_and_gives_up():
    with FakeJira(dialect="dc") as fake:
        fake.fail("GET", "field", None, times=5)
        sleeps = Sleeps()
        client = JiraClient(JiraSettings.from_env(environ_for(fake)), sleep=sleeps)
        client.detect()
        with pytest.raises(TrackerError, match=r"connection to .* failed") as caught:
            client.fields()
        assert sleeps == [1.0, 2.0, 4.0, 8.0]
        assert DC_PAT not in str(caught.value)


def test_post_is_retried_on_429_but_not_on_500():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issue({"key": "A-1", "fields": {"summary": "x"}})
        fake.fail("POST", "comment", 429, {"Retry-After": "0"})
        fake.fail("POST", "comment", 500)
        client = JiraClient(JiraSettings.from_env(environ_for(fake)), sleep=Sleeps())
        client.detect()
        body = {"body": {"type": "doc", "version": 1, "content": []}}
        with pytest.raises(TrackerError, match="HTTP 500"):
            client.request("POST", "issue/A-1/comment", body=body)
        assert len(fake.requests("POST")) == 2
        assert fake.comments["A-1"] == []


def test_unauthorised_message_has_no_secret():
    with FakeJira(dialect="cloud") as fake:
        environ = {"JIRA_URL": fake.url, "JIRA_PAT": CLOUD_TOKEN}
        client = JiraClient(JiraSettings.from_env(environ))
        with pytest.raises(TrackerError, match="refused the credentials") as caught:
            client.detect()
        assert CLOUD_TOKEN not in str(caught.value)
        assert fake.log[0].auth == "bearer"


def test_cloud_never_calls_the_removed_search():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issue({"key": "A-1", "fields": {"summary": "x"}})
        client = JiraClient(JiraSettings.from_env(environ_for(fake)))
        client.detect()
        pages = list(client.search('project = "A"', ["summary"], 50))
        assert [len(issues) for issues, _ in pages] == [1]
        assert fake.requests(path=r"^search$") == []
        with pytest.raises(TrackerError, match=r"410.*search/jql"):
            client.get("search", {"jql": 'project = "A"'})


def test_session_is_the_librarys_public_resilient_session_with_its_retries_off():
    from jira.resilientsession import ResilientSession

    with FakeJira(dialect="dc") as fake:
        fake.fail("GET", "serverInfo", 503)  # no Retry-After: backlint's wait, not the library's
        sleeps = Sleeps()
        client = JiraClient(JiraSettings.from_env(environ_for(fake)), sleep=sleeps, timeout=7)
        assert isinstance(client.session, ResilientSession)
        assert (client.session.max_retries, client.session.timeout) == (0, 7)
        assert client.session.headers["X-Atlassian-Token"] == "no-check"
        client.detect()
        assert sleeps == [1.0] and client.requests_made == 2 and len(fake.log) == 2
        client.close()


def _private_uses_of_jira(source: str) -> list[str]:
    """``x._name`` where ``x`` reads like a jira object (``jira``, ``JIRA``, ``session``), and
    ``_name`` imported from the jira package or read with getattr on such an object."""
    import ast

    def jira_like(node: ast.AST) -> bool:
        text = ast.unparse(node).lower()
        return "jira" in text or "session" in text

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if not node.attr.startswith("__") and jira_like(node.value):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "jira":
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "getattr" and node.args:
            name = node.args[1] if len(node.args) > 1 else None
            private = isinstance(name, ast.Constant) and str(name.value).startswith("_")
            if private and jira_like(node.args[0]):
                found.append(ast.unparse(node))
    return found


def test_the_grep_finds_private_jira_accesses():
    old = "self._jira._session.request(m)\nfrom jira.client import _x\ngetattr(jira, '_y')\n"
    assert sorted(_private_uses_of_jira(old)) == [
        "getattr(jira, '_y')",
        "jira.client._x",
        "self._jira._session",
    ]
    assert _private_uses_of_jira("self._jira = JIRA()\nself.session.request(m)\n") == []


def test_no_private_attribute_of_the_jira_package_is_touched():
    root = Path(__file__).resolve().parents[2]
    offenders = {
        str(path.relative_to(root)): found
        for folder in ("src", "bench", "plugins")
        for path in sorted((root / folder).rglob("*.py"))
        if (found := _private_uses_of_jira(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
