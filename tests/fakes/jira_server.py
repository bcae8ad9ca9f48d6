"""A fake Jira on 127.0.0.1 that speaks both dialects, for tests and benchmarks.

* ``dialect="cloud"``: serverInfo ``deploymentType: Cloud``; REST v3 (ADF bodies) and v2;
  ``/search/jql`` with ``nextPageToken``/``isLast`` (fields default to ``id`` only, unbounded JQL
  rejected); the old ``/search`` answers 410 Gone as Cloud does.
* ``dialect="dc"``: ``deploymentType: Server``; REST v2 only (wiki markup), ``/search`` with
  ``startAt``/``maxResults``/``total``; no ``/search/jql``, no v3.

It serves serverInfo, ``/field``, issues, comments (list, add, edit, delete) and issue PUT with
``update`` operations; pages; checks auth; injects faults (status with headers, dropped
connection) and logs every request (method, path, query, body, auth scheme; never secrets).
Two hooks let a test step in: ``on_request`` is called with each request before the fake carries
it out (it may block, to line up two clients), ``on_answer`` once it is carried out and before
the answer goes back (a test can kill the client there: the write is done, its answer lost).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .jira_jql import JqlError, check_keys_exist, compile_jql
from .jira_payloads import CLOUD_FIELDS, DC_FIELDS, SYSTEM_FIELDS
from .quiet_server import QuietHTTPServer

DROP = object()
NOW = "2026-11-22T12:00:00.000+0000"


@dataclass(frozen=True)
class Recorded:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    auth: str | None
    user: str | None = None

    @property
    def api_path(self) -> str:
        """The path after ``/rest/api/N/`` (``search/jql``, ``issue/P-1/comment``)."""
        return re.sub(r"^/rest/api/[^/]+/", "", self.path)

    @property
    def is_write(self) -> bool:
        return self.method != "GET"


@dataclass
class Fault:
    method: str | None
    path: str
    status: int | None
    headers: dict[str, str]
    body: Any
    times: int


@dataclass
class FakeJira:
    """The fake's state. Start it with ``with FakeJira(...) as jira:``; ``jira.url`` is its base."""

    dialect: str = "cloud"
    latency: float = 0.0
    max_page: int = 100
    embed_comments: int | None = None
    account: dict[str, Any] = field(default_factory=dict)
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    log: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    extra_fields: list[dict[str, Any]] = field(default_factory=list)
    now: str = NOW
    on_request: Callable[[Recorded], None] | None = None
    on_answer: Callable[[Recorded], None] | None = None

    def __post_init__(self) -> None:
        if self.dialect not in ("cloud", "dc"):
            raise ValueError("dialect is cloud or dc")
        self._lock = threading.RLock()
        self._ids = itertools.count(20000)
        self._tokens: dict[str, tuple[str, int]] = {}
        self._selections: dict[str, tuple[int, list[str]]] = {}
        self._version = 0
        self._server: QuietHTTPServer | None = None
        if not self.account:
            self.account = (
                {
                    "accountId": "u-backlint",
                    "displayName": "backlint",
                    "active": True,
                    "accountType": "atlassian",
                }
                if self.cloud
                else {
                    "name": "backlint",
                    "key": "JIRAUSER1",
                    "displayName": "backlint",
                    "active": True,
                }
            )

    @property
    def cloud(self) -> bool:
        return self.dialect == "cloud"

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> FakeJira:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        server = QuietHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- seeding and inspection -----------------------------------------------------------

    def add_issue(self, issue: dict[str, Any]) -> None:
        """Store an issue (a REST issue object); its embedded comments become stored comments."""
        issue = copy.deepcopy(issue)
        fields = issue.setdefault("fields", {})
        block = fields.pop("comment", None) or {}
        with self._lock:
            self._version += 1
            self.issues[issue["key"]] = issue
            self.comments[issue["key"]] = list(block.get("comments") or [])

    def add_issues(self, issues: Iterable[dict[str, Any]]) -> None:
        for issue in issues:
            self.add_issue(issue)

    def load(self, path: str | Path) -> None:
        """Seed from a saved search response (``{"issues": [...]}``)."""
        self.add_issues(json.loads(Path(path).read_text(encoding="utf-8"))["issues"])

    def fail(
        self,
        method: str | None,
        path: str,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` requests whose api path matches regex ``path`` fail: with
        ``status`` (and ``headers``), or, with ``status=None``, by dropping the connection."""
        with self._lock:
            self.faults.append(Fault(method, path, status, headers or {}, body, times))

    def requests(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Logged requests, filtered by method and api-path regex."""
        with self._lock:
            return [
                r
                for r in self.log
                if (method is None or r.method == method)
                and (path is None or re.search(path, r.api_path))
            ]

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests() if r.is_write]

    def labels(self, key: str) -> list[str]:
        return list(self.issues[key]["fields"].get("labels") or [])

    def marker_comments(self, key: str) -> list[dict[str, Any]]:
        return [c for c in self.comments[key] if "backlint:v1" in json.dumps(c["body"])]

    def add_comment(self, key: str, body: Any) -> dict[str, Any]:
        """Add a comment as the site's account would (a racing run, in a test)."""
        with self._lock:
            self._version += 1
            comment = {
                "id": str(next(self._ids)),
                "author": dict(self.account),
                "body": copy.deepcopy(body),
                "updateAuthor": dict(self.account),
                "created": self.now,
                "updated": self.now,
            }
            self.comments[key].append(comment)
            return comment

    def edit(self, key: str, **fields: Any) -> None:
        """Change an issue as a person would (the "fix" step of a test)."""
        with self._lock:
            self._version += 1
            self.issues[key]["fields"].update(fields)
            self.issues[key]["fields"]["updated"] = self.now

    # -- request handling -----------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Any, raw: bytes):
        """(status, headers, payload) for one request, or DROP."""
        if self.latency:
            time.sleep(self.latency)
        split = urlsplit(target)
        path, query = unquote(split.path), parse_qs(split.query, keep_blank_values=True)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        auth, user = _auth(headers.get("Authorization"))
        request = Recorded(method, path, query, body, auth, user)
        with self._lock:
            self.log.append(request)
            fault = self._take_fault(method, re.sub(r"^/rest/api/[^/]+/", "", path))
        if self.on_request is not None:
            self.on_request(request)
        if fault is not None:
            if fault.status is None:
                return DROP
            return fault.status, fault.headers, fault.body or _errors(f"fault {fault.status}")
        if auth is None or (self.cloud and auth != "basic"):
            return 401, {}, _errors("Client must be authenticated to access this resource.")
        match = re.match(r"^/rest/api/(?P<v>[23])/(?P<rest>.+)$", path)
        if not match or (match["v"] == "3" and not self.cloud):
            return 404, {}, _errors("Not found")
        with self._lock:
            if method != "GET":
                self._version += 1
            status, headers, payload = self._route(method, match["v"], match["rest"], query, body)
            # Serialised under the lock, so responses can share the stored objects uncopied.
            encoded = _encode(payload)
        if self.on_answer is not None:
            self.on_answer(request)
        return status, headers, encoded

    def _take_fault(self, method: str, api_path: str) -> Fault | None:
        for fault in self.faults:
            if (fault.method in (None, method)) and re.search(fault.path, api_path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _route(self, method: str, v: str, rest: str, query: dict[str, list[str]], body: Any):
        if rest == "serverInfo" and method == "GET":
            return 200, {}, self.server_info()
        if rest == "field" and method == "GET":
            return 200, {}, self.field_list()
        if rest == "search":
            if self.cloud:
                return (
                    410,
                    {},
                    _errors(
                        "The requested API has been removed. Please migrate to the "
                        "/rest/api/3/search/jql API. A full migration guideline is available at "
                        "https://developer.atlassian.com/changelog/#CHANGE-2046"
                    ),
                )
            return self._search_dc(v, query)
        if rest == "search/jql" and self.cloud and method in ("GET", "POST"):
            params = query if method == "GET" else _as_query(body or {})
            return self._search_cloud(v, params)
        issue = re.match(r"^issue/(?P<key>[^/]+)(?P<tail>/comment(?:/(?P<cid>[^/]+))?)?$", rest)
        if issue is None:
            return 404, {}, _errors("Not found")
        key = issue["key"]
        if key not in self.issues:
            return 404, {}, _errors("Issue does not exist or you do not have permission to see it.")
        if not issue["tail"]:
            if method == "GET":
                return 200, {}, self.render(key, v, _fields_param(query, "*all"))
            if method == "PUT":
                return self._update_issue(key, body)
            return 405, {}, _errors("Method not allowed")
        return self._comment_route(method, v, key, issue["cid"], query, body)

    # -- search -----------------------------------------------------------------------------

    def _select(self, jql: str) -> list[str]:
        check_keys_exist(jql, self.issues)
        # Paging re-runs the same query; remember its result until the next write.
        cached = self._selections.get(jql)
        if cached is not None and cached[0] == self._version:
            return cached[1]
        predicate, order = compile_jql(jql, cloud=self.cloud)
        keys = order(
            [k for k, issue in self.issues.items() if predicate(k, issue["fields"])], self.issues
        )
        self._selections[jql] = (self._version, keys)
        return keys

    def _search_cloud(self, v: str, query: dict[str, list[str]]):
        token = _one(query, "nextPageToken")
        try:
            if token:
                if token not in self._tokens:
                    return 400, {}, _errors("The provided next page token is invalid or expired.")
                jql, start = self._tokens[token]
                if jql != _one(query, "jql"):
                    return 400, {}, _errors("The provided next page token is invalid or expired.")
            else:
                jql, start = _one(query, "jql") or "", 0
            keys = self._select(jql)
        except JqlError as err:
            return 400, {}, _errors(str(err))
        size = min(int(_one(query, "maxResults") or 50), self.max_page)
        page = keys[start : start + size]
        wanted = _fields_param(query, "id")
        result: dict[str, Any] = {"issues": [self.render(k, v, wanted) for k in page]}
        if start + size < len(keys):
            next_token = base64.urlsafe_b64encode(f"{next(self._ids)}".encode()).decode()
            self._tokens[next_token] = (jql, start + size)
            result["nextPageToken"] = next_token
            result["isLast"] = False
        else:
            result["isLast"] = True
        return 200, {}, result

    def _search_dc(self, v: str, query: dict[str, list[str]]):
        try:
            keys = self._select(_one(query, "jql") or "")
        except JqlError as err:
            return 400, {}, _errors(str(err))
        start = int(_one(query, "startAt") or 0)
        size = min(int(_one(query, "maxResults") or 50), self.max_page)
        wanted = _fields_param(query, "*navigable")
        return (
            200,
            {},
            {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(keys),
                "issues": [self.render(k, v, wanted) for k in keys[start : start + size]],
            },
        )

    # -- rendering --------------------------------------------------------------------------

    def server_info(self) -> dict[str, Any]:
        if self.cloud:
            return {
                "baseUrl": self.url,
                "displayUrl": self.url,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "buildNumber": 100285,
                "buildDate": "2026-11-20T00:00:00.000+0000",
                "serverTime": self.now,
                "scmInfo": "6b2a2c1e",
                "serverTitle": "Jira",
                "serverTimeZone": "Etc/UTC",
            }
        return {
            "baseUrl": self.url,
            "version": "9.12.15",
            "versionNumbers": [9, 12, 15],
            "deploymentType": "Server",
            "buildNumber": 9120015,
            "buildDate": "2024-10-29T00:00:00.000+0100",
            "serverTime": self.now,
            "scmInfo": "a5c0dd1b",
            "serverTitle": "Acme Jira",
        }

    def field_list(self) -> list[dict[str, Any]]:
        system = [
            {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": False,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [fid],
                "schema": {"type": kind, "system": fid},
            }
            for fid, name, kind in SYSTEM_FIELDS
        ]
        custom = [
            {
                **f,
                "key": f["id"],
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{f['id'].split('_')[1]}]", f["name"]],
            }
            for f in (CLOUD_FIELDS if self.cloud else DC_FIELDS) + self.extra_fields
        ]
        return system + custom

    def render(self, key: str, v: str, wanted: set[str]) -> dict[str, Any]:
        issue = self.issues[key]
        out = {
            "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
            "id": str(issue.get("id") or abs(hash(key)) % 10**6),
            "self": f"{self.url}/rest/api/{v}/issue/{issue.get('id') or key}",
            "key": key,
        }
        if wanted == {"id"}:
            return {"expand": out["expand"], "id": out["id"], "self": out["self"]}
        everything = bool(wanted & {"*all", "*navigable"})
        fields = {
            name: value for name, value in issue["fields"].items() if everything or name in wanted
        }
        if everything or "comment" in wanted:
            fields["comment"] = self._comment_page(key, v, embedded=True)
        out["fields"] = fields
        return out

    def _comment_page(
        self, key: str, v: str, embedded: bool = False, start: int = 0, size: int = 5000
    ) -> dict[str, Any]:
        items = self.comments[key]
        if embedded and self.embed_comments is not None:
            size = self.embed_comments
        chosen = items[start : start + size]
        return {
            "comments": [self._comment_out(key, v, c) for c in chosen],
            "self": f"{self.url}/rest/api/{v}/issue/{key}/comment",
            "maxResults": size if size < 5000 else len(items),
            "total": len(items),
            "startAt": start,
        }

    def _comment_out(self, key: str, v: str, comment: dict[str, Any]) -> dict[str, Any]:
        out = dict(comment)
        out["self"] = f"{self.url}/rest/api/{v}/issue/{key}/comment/{comment['id']}"
        return out

    # -- writes -----------------------------------------------------------------------------

    def _comment_route(self, method, v, key, cid, query, body):
        if cid is None:
            if method == "GET":
                start = int(_one(query, "startAt") or 0)
                size = min(int(_one(query, "maxResults") or 50), 100)
                return 200, {}, self._comment_page(key, v, start=start, size=size)
            if method == "POST":
                problem = self._check_body(v, body)
                if problem:
                    return 400, {}, problem
                comment = {
                    "id": str(next(self._ids)),
                    "author": dict(self.account),
                    "body": body["body"],
                    "updateAuthor": dict(self.account),
                    "created": self.now,
                    "updated": self.now,
                }
                if self.cloud:
                    comment["jsdPublic"] = True
                self.comments[key].append(comment)
                self.issues[key]["fields"]["updated"] = self.now
                return 201, {}, self._comment_out(key, v, comment)
            return 405, {}, _errors("Method not allowed")
        found = next((c for c in self.comments[key] if c["id"] == cid), None)
        if found is None:
            return 404, {}, _errors("Can not find a comment for the id: " + cid + ".")
        if method == "GET":
            return 200, {}, self._comment_out(key, v, found)
        if method == "PUT":
            problem = self._check_body(v, body)
            if problem:
                return 400, {}, problem
            found.update(body=body["body"], updated=self.now, updateAuthor=dict(self.account))
            return 200, {}, self._comment_out(key, v, found)
        if method == "DELETE":
            self.comments[key].remove(found)
            return 204, {}, None
        return 405, {}, _errors("Method not allowed")

    def _check_body(self, v: str, body: Any) -> dict[str, Any] | None:
        text = body.get("body") if isinstance(body, dict) else None
        if v == "3":
            if not (isinstance(text, dict) and text.get("type") == "doc"):
                return {
                    "errorMessages": [],
                    "errors": {
                        "comment": "Operation value must be an Atlassian Document (see the "
                        "Atlassian Document Format)"
                    },
                }
        elif not isinstance(text, str):
            return {"errorMessages": [], "errors": {"comment": "Comment body can not be empty!"}}
        return None

    def _update_issue(self, key: str, body: Any):
        if not isinstance(body, dict):
            return 400, {}, _errors("Can not deserialize the request body.")
        fields, update = body.get("fields") or {}, body.get("update") or {}
        both = set(fields) & set(update)
        if both:
            name = sorted(both)[0]
            return (
                400,
                {},
                {
                    "errorMessages": [],
                    "errors": {
                        name: f"Field '{name}' cannot be set. It is not on the appropriate screen, "
                        "or unknown."
                    },
                },
            )
        target = self.issues[key]["fields"]
        for name, operations in update.items():
            if name != "labels":
                return 400, {}, {"errorMessages": [], "errors": {name: "unsupported in fake"}}
            labels = list(target.get("labels") or [])
            for op in operations:
                if not isinstance(op, dict) or len(op) != 1:
                    return (
                        400,
                        {},
                        {
                            "errorMessages": [],
                            "errors": {"labels": "Operation must be one of add, remove or set."},
                        },
                    )
                ((verb, value),) = op.items()
                if isinstance(value, str) and " " in value:
                    return (
                        400,
                        {},
                        {
                            "errorMessages": [],
                            "errors": {
                                "labels": f"The label '{value}' contains spaces which is invalid."
                            },
                        },
                    )
                if verb == "add" and value not in labels:
                    labels.append(value)
                elif verb == "remove" and value in labels:
                    labels.remove(value)
                elif verb == "set":
                    labels = list(value)
            target["labels"] = labels
        target.update(fields)
        target["updated"] = self.now
        return 204, {}, None


def _auth(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return "bearer", None
    if scheme.lower() == "basic":
        try:
            user = base64.b64decode(value).decode().partition(":")[0]
        except ValueError:
            return None, None
        return "basic", user
    return None, None


def _encode(payload: Any) -> bytes | None:
    return None if payload is None else json.dumps(payload).encode()


def _errors(message: str) -> dict[str, Any]:
    return {"errorMessages": [message], "errors": {}}


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _fields_param(query: dict[str, list[str]], default: str) -> set[str]:
    values = [v for item in query.get("fields") or [] for v in str(item).split(",") if v]
    return set(values) if values else {default}


def _as_query(body: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in body.items():
        out[name] = [",".join(value)] if isinstance(value, list) else [str(value)]
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle delay: otherwise every small response
    # waits ~40 ms for a delayed ACK, which would swamp the latency the benchmark sets.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fake: FakeJira = self.server.fake  # type: ignore[attr-defined]
        outcome = fake.handle(self.command, self.path, self.headers, raw)
        if outcome is DROP:
            self.close_connection = True
            return
        status, headers, payload = outcome
        data = payload if isinstance(payload, bytes) else _encode(payload) or b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


CLOUD_EMAIL, CLOUD_TOKEN, DC_PAT = "ci@example.com", "cloud-token-SECRET-42", "dc-pat-SECRET-42"


def environ_for(fake: FakeJira) -> dict[str, str]:
    """The environment a user would set for this fake: email + API token on Cloud, PAT on DC."""
    if fake.cloud:
        return {"JIRA_URL": fake.url, "JIRA_EMAIL": CLOUD_EMAIL, "JIRA_API_TOKEN": CLOUD_TOKEN}
    return {"JIRA_URL": fake.url, "JIRA_PAT": DC_PAT}
