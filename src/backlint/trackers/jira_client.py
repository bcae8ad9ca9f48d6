"""The wire to one Jira site: settings from the environment, auth, dialect detection, requests
with retries, and paged search for both dialects.

The `jira` library (imported lazily) builds the authenticated session: HTTP Basic with
``JIRA_EMAIL`` + ``JIRA_API_TOKEN`` (Cloud, or a Server/Data Center password), or a personal
access token sent as ``Authorization: Bearer`` (``JIRA_PAT``, Data Center). Requests go through
that session, but with the library's own retries turned off (``max_retries=0``), because its
waits cannot be injected in tests, it retries neither 502/504 nor a 503 without ``Retry-After``,
and the text of its ``JIRAError`` quotes the request headers, token included. Here:

* reads (GET) are retried on 429, 5xx and dropped connections, waiting ``Retry-After`` when given;
* writes are retried only on 429 (Jira did nothing) and, for idempotent PUT/DELETE, on 5xx and
  dropped connections too; a POST that may have happened is never repeated;
* every error becomes a :class:`~backlint.errors.TrackerError` whose one line quotes Jira's own
  ``errorMessages`` and never a header, a token or a password.

Cloud and Data Center are told apart by ``serverInfo.deploymentType``: Cloud speaks REST v3
(ADF, ``/search/jql`` with ``nextPageToken``), anything else REST v2 (wiki markup, ``/search``
with ``startAt``). Cloud's old ``/search`` is gone (HTTP 410) and is never called.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from backlint.errors import TrackerError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 5
MAX_WAIT = 60.0
SETUP_HINT = (
    "set JIRA_URL and either JIRA_EMAIL + JIRA_API_TOKEN (Jira Cloud) or JIRA_PAT "
    "(Jira Server/Data Center)"
)


@dataclass(frozen=True)
class JiraSettings:
    """Where and how to connect. ``repr`` never shows the secret."""

    url: str
    username: str | None = None
    secret: str | None = None
    pat: str | None = None

    def __repr__(self) -> str:
        auth = "pat" if self.pat else "basic" if self.secret else "none"
        return f"JiraSettings(url={self.url!r}, auth={auth})"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, config_url: str | None = None
    ) -> JiraSettings:
        """Read JIRA_URL (or ``[jira] url``) and the credentials; raise TrackerError if missing."""
        env = os.environ if environ is None else environ
        url = (env.get("JIRA_URL") or config_url or "").strip().rstrip("/")
        pat = env.get("JIRA_PAT") or None
        username = env.get("JIRA_EMAIL") or env.get("JIRA_USERNAME") or None
        secret = env.get("JIRA_API_TOKEN") or env.get("JIRA_PASSWORD") or None
        if not url:
            raise TrackerError(f"jira: JIRA_URL is not set; {SETUP_HINT}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TrackerError(f"jira: JIRA_URL is not an http(s) URL: {safe_url(url)!r}")
        if not pat and not (username and secret):
            missing = "JIRA_API_TOKEN" if username else "JIRA_EMAIL" if secret else "credentials"
            raise TrackerError(f"jira: {missing} missing; {SETUP_HINT}")
        return cls(url=url, username=username, secret=secret, pat=pat)


def safe_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages and ticket links."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def jira_messages(body: Any) -> str:
    """Jira's own error text from an error body (``errorMessages`` and ``errors``)."""
    if not isinstance(body, Mapping):
        return ""
    messages = [str(m) for m in body.get("errorMessages") or () if m]
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        messages += [f"{name}: {text}" for name, text in sorted(errors.items())]
    if not messages and body.get("message"):
        messages.append(str(body["message"]))
    return "; ".join(messages)


class JiraHTTPError(TrackerError):
    """A request Jira answered with an error status (kept for callers that branch on it)."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail or f"HTTP {status}"


class JiraClient:
    """One authenticated session to a Jira site, with retries and dialect-aware paths."""

    def __init__(
        self,
        settings: JiraSettings,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 60.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.settings = settings
        self.base_url = settings.url
        self.display_url = safe_url(settings.url)
        self.sleep = sleep
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.deployment: str | None = None
        self.api_version = "2"
        self.requests_made = 0
        self._jira = self._library_client()

    def _library_client(self) -> Any:
        try:
            from jira import JIRA
        except ImportError:  # pragma: no cover - jira is a runtime dependency
            raise TrackerError("jira: the 'jira' package is not installed") from None
        auth: dict[str, Any] = {}
        if self.settings.pat:
            auth["token_auth"] = self.settings.pat
        else:
            auth["basic_auth"] = (self.settings.username, self.settings.secret)
        # No request is made here: server info is read below, through our retrying request.
        return JIRA(
            server=self.base_url,
            options={"check_update": False},
            get_server_info=False,
            max_retries=0,
            timeout=self.timeout,
            logging=False,
            **auth,
        )

    @property
    def is_cloud(self) -> bool:
        return self.deployment == "Cloud"

    def detect(self) -> dict[str, Any]:
        """Read serverInfo and pick the dialect: Cloud → REST v3, otherwise v2."""
        info = self.get("serverInfo", version="2")
        if not isinstance(info, Mapping):
            raise TrackerError(f"jira: {self.display_url} did not answer like a Jira site")
        self.deployment = str(info.get("deploymentType") or "Server")
        self.api_version = "3" if self.is_cloud else "2"
        self._jira.deploymentType = self.deployment  # keeps the library's own view consistent
        return dict(info)

    # -- requests ---------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None, version: str = "") -> Any:
        """GET a REST path (``search/jql``, ``issue/KEY``) and return the parsed JSON."""
        return self.request("GET", path, params=params, version=version)

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str = "",
    ) -> Any:
        """Send one request, retrying what is safe to retry; JSON (or None) back."""
        url = f"{self.base_url}/rest/api/{version or self.api_version}/{path}"
        data = json.dumps(body) if body is not None else None
        attempt = 0
        while True:
            attempt += 1
            status, response, dropped = self._send(method, url, params, data)
            if status is not None and status < 400:
                return _json_or_none(response)
            if attempt < self.max_attempts and _may_retry(method, status):
                self.sleep(_wait_for(response, attempt))
                continue
            if dropped:
                raise TrackerError(
                    f"jira: connection to {self.display_url} failed ({method} {path}; "
                    f"{dropped}) after {attempt} attempts"
                )
            raise _error_for(method, path, status or 0, response, self.display_url)

    def _send(self, method: str, url: str, params: Any, data: str | None):
        """(status, response, dropped-reason): never raises for HTTP or network failures."""
        import requests
        from jira.exceptions import JIRAError

        self.requests_made += 1
        try:
            response = self._jira._session.request(method, url, params=params, data=data)
            return response.status_code, response, None
        except JIRAError as err:  # the library raises for any non-2xx status
            response = err.response
            return (
                (response.status_code if response is not None else None),
                response,
                (None if response is not None else "no response"),
            )
        except requests.RequestException as err:
            # Only the exception's type: its text may quote the URL with a password in it.
            return None, None, type(err).__name__

    # -- reads ------------------------------------------------------------------------------

    def fields(self) -> list[dict[str, Any]]:
        """Every field the site knows (``/field``), for finding custom field ids by name."""
        result = self.get("field")
        return [f for f in result or () if isinstance(f, Mapping)]

    def search(
        self, jql: str, fields: Sequence[str], page_size: int = 100
    ) -> Iterator[tuple[list[dict[str, Any]], int | None]]:
        """Yield (issues, total or None) page by page: ``/search/jql`` on Cloud, ``/search``."""
        params: dict[str, Any] = {"jql": jql, "fields": ",".join(fields), "maxResults": page_size}
        if self.is_cloud:
            token: str | None = None
            while True:
                page = self._search_page("search/jql", {**params, "nextPageToken": token})
                issues = list(page.get("issues") or ())
                yield issues, None
                token = page.get("nextPageToken")
                if page.get("isLast") or not token or not issues:
                    return
        start = 0
        while True:
            page = self._search_page("search", {**params, "startAt": start})
            issues = list(page.get("issues") or ())
            total = page.get("total") if isinstance(page.get("total"), int) else None
            yield issues, total
            start += len(issues)
            if not issues or (total is not None and start >= total):
                return

    def _search_page(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        params = {name: value for name, value in params.items() if value is not None}
        try:
            page = self.get(path, params)
        except JiraHTTPError as err:
            if err.status == 400:
                raise TrackerError(f"jira: the JQL query was rejected: {err.detail}") from None
            raise
        if not isinstance(page, Mapping):
            raise TrackerError(f"jira: unexpected search response from {self.display_url}")
        return dict(page)

    def close(self) -> None:
        self._jira.close()


def _json_or_none(response: Any) -> Any:
    if response is None or response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _may_retry(method: str, status: int | None) -> bool:
    """429: Jira did nothing, always safe. 5xx or no answer: reads, and idempotent writes."""
    if status == 429:
        return True
    if status is not None and status not in RETRY_STATUSES:
        return False
    return method in ("GET", "PUT", "DELETE")


def _wait_for(response: Any, attempt: int) -> float:
    """``Retry-After`` when Jira gives it, else exponential backoff (1, 2, 4, ... s)."""
    header = response.headers.get("Retry-After") if response is not None else None
    if header:
        try:
            return min(MAX_WAIT, max(0.0, float(header)))
        except ValueError:
            pass
    return min(MAX_WAIT, 2.0 ** (attempt - 1))


def _error_for(method: str, path: str, status: int, response: Any, where: str) -> JiraHTTPError:
    body: Any = None
    if response is not None:
        try:
            body = response.json()
        except ValueError:
            body = None
    detail = jira_messages(body) or (response.reason if response is not None else "") or ""
    if status in (401, 403) and path == "serverInfo":
        message = f"jira: {where} refused the credentials (HTTP {status}); {SETUP_HINT}"
    elif status == 401:
        message = f"jira: {where} refused the credentials (HTTP 401) on {method} {path}"
    else:
        message = f"jira: HTTP {status} on {method} {path}" + (f": {detail}" if detail else "")
    return JiraHTTPError(message, status, detail)
