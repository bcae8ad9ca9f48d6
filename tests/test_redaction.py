"""No secret reaches the user, even when a server echoes the request headers in its error body."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from backlint.cli.main import cli
from backlint.errors import TrackerError
from backlint.redact import redact

GITHUB_SECRET = "ghp_SECRET1234567890abcdef"
JIRA_SECRET = "jira-SECRET-token-42"


class EchoHeaders(BaseHTTPRequestHandler):
    """Answers every request with HTTP 400 and the request's headers in the body."""

    def _echo(self):
        echoed = "; ".join(f"{name}: {value}" for name, value in self.headers.items())
        body = json.dumps(
            {"message": f"Bad request ({echoed})", "errorMessages": [f"Bad request ({echoed})"]}
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _echo

    def log_message(self, *args):
        return None


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHeaders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _assert_clean(result, *secrets):
    output = result.stdout + result.stderr
    assert result.exit_code == 2, output
    for secret in secrets:
        assert secret not in output


@pytest.mark.parametrize("args", [["audit", "github:acme/shop"], ["check", "github:acme/shop#3"]])
def test_github_errors_never_show_the_token(monkeypatch, echo_server, args):
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_SECRET)
    monkeypatch.setenv("GITHUB_API_URL", echo_server)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", f"{echo_server}/graphql")
    result = CliRunner().invoke(cli, args)
    _assert_clean(result, GITHUB_SECRET)
    assert "backlint: " in result.stderr


def test_jira_errors_never_show_the_token_or_its_basic_form(monkeypatch, echo_server):
    import base64

    monkeypatch.setenv("JIRA_URL", echo_server)
    monkeypatch.setenv("JIRA_EMAIL", "pm@example.com")
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_SECRET)
    result = CliRunner().invoke(cli, ["audit", "jira:SHOP"])
    basic = base64.b64encode(f"pm@example.com:{JIRA_SECRET}".encode()).decode()
    _assert_clean(result, JIRA_SECRET, basic)


def test_redact_replaces_secrets_headers_and_token_shapes():
    environ = {"JIRA_EMAIL": "a@b.c", "JIRA_API_TOKEN": "s3cr3t-token"}
    text = (
        "token s3cr3t-token; Authorization: Basic YUBiLmM6czNjcjN0LXRva2Vu; "
        "'authorization': 'Bearer abc.def'; ghs_abcdefghij1234567890"
    )
    cleaned = redact(text, environ)
    assert "s3cr3t-token" not in cleaned
    assert "YUBiLmM6czNjcjN0LXRva2Vu" not in cleaned
    assert "abc.def" not in cleaned and "ghs_abcdefghij" not in cleaned
    assert cleaned.count("***") >= 4


def test_errors_are_redacted_when_made(monkeypatch):
    monkeypatch.setenv("JIRA_PAT", "pat-0123456789")
    assert "pat-0123456789" not in str(TrackerError("Jira said: bad pat-0123456789"))


def test_long_server_messages_are_cut():
    assert len(redact("x" * 5000, {})) == 600
