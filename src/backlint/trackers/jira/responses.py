"""What Jira's answers mean: JSON bodies, which failures are retried and how long to wait, and
one-line errors.

* reads (GET) are retried on 429, 5xx and dropped connections, waiting ``Retry-After`` when given;
* writes are retried on 429 (Jira did nothing) and, for idempotent PUT/DELETE, once on 5xx and
  dropped connections too (the next run converges; long retries only stretched a failing run);
  a POST that may have happened is never repeated;
* every error becomes a :class:`~backlint.errors.TrackerError` whose one line quotes Jira's own
  ``errorMessages`` and never a header, a token or a password.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backlint.errors import TrackerError
from backlint.trackers.jira.settings import SETUP_HINT

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT = 60.0
#: Attempts of an idempotent write after a 5xx or a dropped connection: the first and one retry.
WRITE_ATTEMPTS = 2


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


def json_or_none(response: Any) -> Any:
    """The parsed JSON body; None for no answer, 204, an empty body or a body that is not JSON."""
    if response is None or response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def may_retry(method: str, status: int | None, attempt: int = 1) -> bool:
    """429: Jira did nothing, always safe. 5xx or no answer: reads, and idempotent writes
    (these up to :data:`WRITE_ATTEMPTS`). ``attempt`` counts the tries made so far."""
    if status == 429:
        return True
    if status is not None and status not in RETRY_STATUSES:
        return False
    if method in ("PUT", "DELETE"):
        return attempt < WRITE_ATTEMPTS
    return method == "GET"


def wait_for(response: Any, attempt: int) -> float:
    """``Retry-After`` when Jira gives it, else exponential backoff (1, 2, 4, ... s)."""
    header = response.headers.get("Retry-After") if response is not None else None
    if header:
        try:
            return min(MAX_WAIT, max(0.0, float(header)))
        except ValueError:
            pass
    return min(MAX_WAIT, 2.0 ** (attempt - 1))


def error_for(method: str, path: str, status: int, response: Any, where: str) -> JiraHTTPError:
    """The one-line error for a failed request, quoting Jira's own messages."""
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
