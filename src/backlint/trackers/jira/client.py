"""The wire to one Jira site: auth, dialect detection, requests with retries, and paged search
for both dialects.

The `jira` library (imported lazily) is used only through its public API: its
``jira.resilientsession.ResilientSession`` is the HTTP session, built with its public
``timeout`` and ``max_retries`` settings, the library's default headers (``JIRA.DEFAULT_OPTIONS``)
and its auth: HTTP Basic with ``JIRA_EMAIL`` + ``JIRA_API_TOKEN`` (Cloud, or a Server/Data
Center password), or ``jira.client.TokenAuth`` for a personal access token sent as
``Authorization: Bearer`` (``JIRA_PAT``, Data Center); the settings come from :mod:`.settings`.
The library's own retries are off (``max_retries=0``), because its waits cannot be injected in
tests, it retries neither 502/504 nor a 503 without ``Retry-After``, and the text of its
``JIRAError`` quotes the request headers, token included. Which failures are retried, and the
one-line errors that never quote a header, a token or a password, are in :mod:`.responses`.

The ``JIRA`` client's own calls are not used: its searches read ``/field`` once more per run
(to translate JQL names) and so break the request counts, its ``fields()`` always asks REST v2,
and ``server_info()`` would need a second session; docs/trackers-jira.md has the details.

Cloud and Data Center are told apart by ``serverInfo.deploymentType``: Cloud speaks REST v3
(ADF, ``/search/jql`` with ``nextPageToken``), anything else REST v2 (wiki markup, ``/search``
with ``startAt``). Cloud's old ``/search`` is gone (HTTP 410) and is never called.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from backlint.errors import TrackerError
from backlint.trackers.jira.responses import (
    JiraHTTPError,
    error_for,
    jira_messages,
    json_or_none,
    may_retry,
    wait_for,
)
from backlint.trackers.jira.settings import JiraSettings, safe_url

# tracker.py, write.py and the tests import these from here.
__all__ = [
    "MAX_ATTEMPTS",
    "JiraClient",
    "JiraHTTPError",
    "JiraSettings",
    "jira_messages",
    "safe_url",
]

MAX_ATTEMPTS = 5


def _notify_stderr(message: str) -> None:
    print(f"backlint: {message}", file=sys.stderr, flush=True)


class JiraClient:
    """One authenticated session to a Jira site, with retries and dialect-aware paths."""

    def __init__(
        self,
        settings: JiraSettings,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 60.0,
        max_attempts: int = MAX_ATTEMPTS,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.base_url = settings.url
        self.display_url = safe_url(settings.url)
        self.sleep = sleep
        self.notify = notify or _notify_stderr
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.deployment: str | None = None
        self.api_version = "2"
        self.requests_made = 0
        self.session = self._library_session()

    def _library_session(self) -> Any:
        """The jira library's ResilientSession, authenticated, with its own retries off."""
        try:
            from jira import JIRA
            from jira.client import TokenAuth
            from jira.resilientsession import ResilientSession
        except ImportError:  # pragma: no cover - jira is a runtime dependency
            raise TrackerError("jira: the 'jira' package is not installed") from None
        session = ResilientSession(timeout=self.timeout, max_retries=0)
        # The headers the JIRA client would send (JSON bodies, no XSRF check, no caching).
        session.headers.update(JIRA.DEFAULT_OPTIONS["headers"])
        if self.settings.pat:
            session.auth = TokenAuth(self.settings.pat)
        else:
            session.auth = (self.settings.username or "", self.settings.secret or "")
        return session

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
                return json_or_none(response)
            if attempt < self.max_attempts and may_retry(method, status, attempt):
                delay = wait_for(response, attempt)
                if status == 429:  # a wait the user should hear about, as GitHub's are
                    self.notify(f"Jira rate limit reached; waiting {delay:.0f} s, then resuming")
                self.sleep(delay)
                continue
            if dropped:
                raise TrackerError(
                    f"jira: connection to {self.display_url} failed ({method} {path}; "
                    f"{dropped}) after {attempt} attempts"
                )
            raise error_for(method, path, status or 0, response, self.display_url)

    def _send(self, method: str, url: str, params: Any, data: str | None):
        """(status, response, dropped-reason): never raises for HTTP or network failures."""
        import requests
        from jira.exceptions import JIRAError

        self.requests_made += 1
        try:
            response = self.session.request(method, url, params=params, data=data)
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
        self.session.close()
