"""A fake GitHub on 127.0.0.1: REST for PyGithub and GraphQL for backlint's bulk reads.

It keeps issues, comments and labels in memory, serves them in GitHub's payload shapes (those of
the REST API and webhooks: ``user``, ``labels[]``, ``milestone``, ``sub_issues_summary``, ...),
paginates as GitHub does (``Link`` headers on REST, cursors on GraphQL, at most 100 per page),
sends rate-limit headers, records every request, and can be told to fail: 403/429 rate-limit
refusals (primary, secondary, with or without ``retry-after``), 5xx answers and dropped
connections. ``latency`` delays every answer, for the benchmark. Two hooks let a test step in:
``on_request`` is called with each request before the fake carries it out (it may block, to
line up two clients), ``on_answer`` once it is carried out and before the answer goes back (a
test can kill the client there, so that the write is done and its answer lost).

Usage::

    with FakeGitHub() as gh:
        gh.add_issue("o/r", title="...", labels=["bug"])
        env = gh.env()   # GITHUB_API_URL, GITHUB_GRAPHQL_URL, GITHUB_TOKEN
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .quiet_server import QuietHTTPServer

TOKEN = "ghp_fake_token_for_tests_0123456789"
BASE_TIME = "2026-01-05T10:00:00Z"


@dataclass
class Request:
    """One request as the fake saw it (never the token itself)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorized: bool

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PATCH", "PUT", "DELETE") and self.path != "/api/graphql"


@dataclass
class Fault:
    """An injected failure for requests matching ``method`` and ``path`` (a regex)."""

    path: str
    status: int = 500
    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    times: int = 1
    drop: bool = False
    after: bool = False  # with ``drop``: carry the request out, then drop the answer


def _user(login: str, kind: str = "User") -> dict[str, Any]:
    uid = abs(hash(login)) % 10_000_000
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": kind,
        "site_admin": False,
    }


class FakeRepo:
    """One repository's issues, comments and labels."""

    def __init__(self, full_name: str) -> None:
        self.full_name = full_name
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.priorities: dict[int, str] = {}
        self.comments_by_issue: dict[int, list[dict[str, Any]]] = {}
        self.parents: dict[int, int] = {}
        #: What ``github:ORG`` listings see: archived repositories are left out by GitHub,
        #: those with issues turned off are skipped by backlint.
        self.archived = False
        self.has_issues = True
        self._order: tuple[int, list[dict[str, Any]], dict[int, int]] = (-1, [], {})

    def open_issue_count(self) -> int:
        """``issues(states: [OPEN]) { totalCount }``: open issues, no pull requests."""
        return sum(
            1 for i in self.issues.values() if i["state"] == "open" and "pull_request" not in i
        )

    def ordered(self) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """Issues in the GraphQL order (created, number) and each number's position; cached."""
        if self._order[0] != len(self.issues):
            order = sorted(self.issues.values(), key=lambda i: (i["created_at"], i["number"]))
            position = {issue["number"]: index for index, issue in enumerate(order)}
            self._order = (len(self.issues), order, position)
        return self._order[1], self._order[2]


class FakeGitHub:
    """The server. Start it with ``with FakeGitHub() as gh`` or ``start()``/``stop()``."""

    def __init__(
        self,
        latency: float = 0.0,
        issue_types: bool = True,
        projects_forbidden: bool = False,
        token: str = TOKEN,
    ) -> None:
        self.latency = latency
        self.issue_types = issue_types
        self.projects_forbidden = projects_forbidden
        self.token = token
        self.repos: dict[str, FakeRepo] = {}
        #: Organisations and users known without a repository (``github:ORG`` finds none).
        self.owners: set[str] = set()
        self.log: list[Request] = []
        self.faults: list[Fault] = []
        self.remaining = 5000
        self.installation_tokens = 0
        #: When set, every write to an issue moves its ``updated_at`` to this time (or to what
        #: this function returns at the write).
        self.write_time: str | Callable[[], str] | None = None
        self.on_request: Callable[[Request], None] | None = None
        self.on_answer: Callable[[Request], None] | None = None
        self._lock = threading.RLock()
        self._next_id = 1000
        self._server = QuietHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/v3"

    @property
    def graphql_url(self) -> str:
        return f"{self.root}/api/graphql"

    def env(self) -> dict[str, str]:
        return {
            "GITHUB_API_URL": self.api_url,
            "GITHUB_GRAPHQL_URL": self.graphql_url,
            "GITHUB_TOKEN": self.token,
        }

    def start(self) -> FakeGitHub:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- data ----------------------------------------------------------------------------
    def repo(self, full_name: str) -> FakeRepo:
        return self.repos.setdefault(full_name, FakeRepo(full_name))

    def _id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def add_label(self, repo: str, name: str, color: str = "ededed", description: str = ""):
        fake = self.repo(repo)
        label_id = self._id()
        fake.labels[name.lower()] = {
            "id": label_id,
            "node_id": f"LA_{label_id}",
            "url": f"https://api.github.com/repos/{repo}/labels/{quote(name)}",
            "name": name,
            "color": color,
            "default": False,
            "description": description or None,
        }
        return fake.labels[name.lower()]

    def add_issue(
        self,
        repo: str,
        title: str = "An issue",
        body: str | None = "",
        labels: tuple[str, ...] | list[str] = (),
        number: int | None = None,
        author: str = "octocat",
        author_type: str = "User",
        assignees: tuple[str, ...] | list[str] = (),
        milestone: str | None = None,
        state: str = "open",
        created_at: str = BASE_TIME,
        updated_at: str | None = None,
        parent: int | None = None,
        priority: str | None = None,
        pull_request: bool = False,
    ) -> dict[str, Any]:
        """Add an issue (or, with ``pull_request``, a PR listed among issues)."""
        fake = self.repo(repo)
        number = number or (max(fake.issues, default=0) + 1)
        issue_id = self._id()
        api = f"https://api.github.com/repos/{repo}"
        issue: dict[str, Any] = {
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "labels_url": f"{api}/issues/{number}/labels{{/name}}",
            "comments_url": f"{api}/issues/{number}/comments",
            "events_url": f"{api}/issues/{number}/events",
            "html_url": f"https://github.com/{repo}/issues/{number}",
            "id": issue_id,
            "node_id": f"I_kwDO{issue_id}",
            "number": number,
            "title": title,
            "user": _user(author, author_type),
            "labels": [self._label(repo, name) for name in labels],
            "state": state,
            "locked": False,
            "assignee": _user(assignees[0]) if assignees else None,
            "assignees": [_user(login) for login in assignees],
            "milestone": self._milestone(milestone) if milestone else None,
            "comments": 0,
            "created_at": created_at,
            "updated_at": updated_at or created_at,
            "closed_at": None,
            "author_association": "OWNER",
            "active_lock_reason": None,
            "body": body,
            "reactions": {"total_count": 0, "+1": 0, "-1": 0},
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "parent_issue_url": f"{api}/issues/{parent}" if parent else None,
            "type": None,
        }
        if pull_request:
            issue["pull_request"] = {"url": f"{api}/pulls/{number}"}
        fake.issues[number] = issue
        if priority:
            fake.priorities[number] = priority
        if parent:
            fake.parents[number] = parent
            summary = fake.issues[parent]["sub_issues_summary"]
            summary["total"] += 1
        return issue

    def _label(self, repo: str, name: str) -> dict[str, Any]:
        fake = self.repo(repo)
        return fake.labels.get(name.lower()) or self.add_label(repo, name)

    @staticmethod
    def _milestone(title: str) -> dict[str, Any]:
        number = abs(hash(title)) % 97 + 1
        return {"number": number, "title": title, "state": "open", "due_on": None}

    def add_comment(
        self, repo: str, number: int, body: str, author: str = "someone", kind: str = "User"
    ) -> dict[str, Any]:
        fake = self.repo(repo)
        comment_id = self._id()
        api = f"https://api.github.com/repos/{repo}"
        comment = {
            "url": f"{api}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{repo}/issues/{number}#issuecomment-{comment_id}",
            "issue_url": f"{api}/issues/{number}",
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "user": _user(author, kind),
            "created_at": BASE_TIME,
            "updated_at": BASE_TIME,
            "author_association": "NONE",
            "body": body,
            "_issue": number,
        }
        fake.comments[comment_id] = comment
        fake.comments_by_issue.setdefault(number, []).append(comment)
        fake.issues[number]["comments"] += 1
        return comment

    def comments_on(self, repo: str, number: int) -> list[dict[str, Any]]:
        fake = self.repo(repo)
        return [c for c in fake.comments_by_issue.get(number, ()) if c["id"] in fake.comments]

    def labels_on(self, repo: str, number: int) -> list[str]:
        return [label["name"] for label in self.repo(repo).issues[number]["labels"]]

    # -- faults and log ------------------------------------------------------------------
    def inject(self, path: str, status: int = 500, **kwargs: Any) -> Fault:
        """Fail the next ``times`` requests whose path matches the regex ``path``."""
        fault = Fault(path=path, status=status, **kwargs)
        self.faults.append(fault)
        return fault

    def inject_rate_limit(
        self,
        path: str,
        kind: str = "secondary",
        status: int = 403,
        retry_after: int | None = None,
        method: str | None = None,
        times: int = 1,
    ) -> Fault:
        """A rate-limit refusal as GitHub sends it (``primary``: remaining 0 and a reset)."""
        headers: dict[str, str] = {}
        if retry_after is not None:
            headers["retry-after"] = str(retry_after)
        if kind == "primary":
            headers["x-ratelimit-remaining"] = "0"
            headers["x-ratelimit-reset"] = str(int(time.time()) + 30)
            message = "API rate limit exceeded for user ID 1."
        else:
            message = "You have exceeded a secondary rate limit. Please wait a few minutes."
        body = {"message": message, "documentation_url": "https://docs.github.com/rest"}
        return self.inject(path, status, method=method, headers=headers, body=body, times=times)

    def requests(self, method: str | None = None, path: str | None = None) -> list[Request]:
        return [
            r
            for r in self.log
            if (method is None or r.method == method) and (path is None or re.search(path, r.path))
        ]

    @property
    def writes(self) -> list[Request]:
        return [r for r in self.log if r.is_write]

    def clear_log(self) -> None:
        self.log.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if (
                    fault.times > 0
                    and re.search(fault.path, path)
                    and (fault.method is None or fault.method == method)
                ):
                    fault.times -= 1
                    return fault
        return None

    def rate_headers(self, resource: str = "core") -> dict[str, str]:
        with self._lock:
            self.remaining = max(self.remaining - 1, 1)
            return {
                "x-ratelimit-limit": "5000",
                "x-ratelimit-remaining": str(self.remaining),
                "x-ratelimit-used": str(5000 - self.remaining),
                "x-ratelimit-reset": str(int(time.time()) + 3600),
                "x-ratelimit-resource": resource,
            }


def _handler_for(fake: FakeGitHub):
    from .github_routes import APP_ROUTES, route

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            return

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and the
            # client's delayed ACK add ~40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            auth = self.headers.get("Authorization") or ""
            authorized = auth.split(" ", 1)[-1] == fake.token
            path = unquote(parts.path)
            if auth.startswith("Bearer ") and any(re.match(p, path) for p in APP_ROUTES):
                authorized = True  # a GitHub App's JWT (not checked: the fake has no App key)
            request = Request(self.command, path, parse_qs(parts.query), body, authorized)
            fake.log.append(request)
            if fake.latency:
                time.sleep(fake.latency)
            if fake.on_request is not None:
                fake.on_request(request)
            fault = fake._take_fault(self.command, path)
            if fault is not None and fault.drop:
                if fault.after and authorized:
                    route(fake, self.command, path, parts.query, body)
                self.close_connection = True
                self.connection.shutdown(2)  # no answer at all: the client sees a dropped line
                return
            if fault is not None:
                headers = {**fake.rate_headers(), **fault.headers}
                payload = fault.body if fault.body is not None else {"message": "Server Error"}
                return self._send(fault.status, payload, headers)
            if not authorized:
                return self._send(401, {"message": "Bad credentials"}, {})
            status, payload, headers = route(fake, self.command, path, parts.query, body)
            if fake.on_answer is not None:
                fake.on_answer(request)
            self._send(status, payload, {**fake.rate_headers(), **headers})

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    return Handler


def encode_cursor(number: int) -> str:
    return base64.b64encode(f"cursor:v2:{number}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1])
