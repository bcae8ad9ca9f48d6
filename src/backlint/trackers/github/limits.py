"""GitHub's rate limits and transient failures: how long to wait, and whether to try again.

One policy for both transports (httpx for GraphQL reads, PyGithub for REST): the caller turns
each failed response into a :class:`Failure` and asks :meth:`Pacer.wait_before_retry` whether to
try again. Rate-limit refusals (primary or secondary; 403 or 429, or a GraphQL ``RATE_LIMITED``
error under HTTP 200) were not carried out, so retrying them is safe for any request. 5xx
responses and dropped connections are ambiguous for a write (the comment may exist now), so only
idempotent requests are retried after them; a write reports the failure and the next run, which
reads the tracker's state first, converges.

The sleep and clock functions are injectable so tests never sleep.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: GitHub's guidance: wait at least a minute on a secondary limit without retry-after.
SECONDARY_WAIT = 60.0
#: Backoff for 5xx and connection errors on idempotent requests: 1, 2, 4, ... seconds.
BACKOFF_BASE = 1.0
#: Retries of a transient failure during write-back (1 s): a failed write is reported and the
#: next run, which reads the tracker first, converges; 1 + 2 + 4 + 8 s per write did not pay.
WRITE_RETRIES = 1


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed request as the policy sees it. ``status`` 0 means no response (network)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    message: str = ""
    rate_limited: bool = False  # GraphQL RATE_LIMITED under HTTP 200

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return None

    @property
    def is_rate_limit(self) -> bool:
        """A refusal on rate grounds: nothing was done, so a retry cannot duplicate anything."""
        if self.rate_limited:
            return True
        if self.status not in (403, 429):
            return False
        if self.status == 429 or self.header("retry-after") is not None:
            return True
        if self.header("x-ratelimit-remaining") == "0":
            return True
        text = self.message.lower()
        return "rate limit" in text or "abuse" in text or "try again later" in text

    @property
    def is_transient(self) -> bool:
        """A server error or a dropped connection: worth retrying when the request is a read."""
        return self.status == 0 or self.status >= 500


def _notify_stderr(message: str) -> None:
    print(f"backlint: {message}", file=sys.stderr, flush=True)


@dataclass
class Pacer:
    """Decides waits and retries for one connection; counts what it did for the benchmark.

    ``max_wait`` caps one wait (a primary limit can reset an hour away): past it the caller gets
    None and fails with a clear message instead of hanging. ``retries`` caps attempts for
    transient errors (``write_retries`` for a write: the next run converges anyway); rate-limit
    waits are capped by ``rate_retries``.
    """

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    notify: Callable[[str], None] = _notify_stderr
    max_wait: float = 900.0
    retries: int = 4
    rate_retries: int = 6
    write_retries: int = WRITE_RETRIES
    waited: float = 0.0

    def wait_before_retry(
        self, failure: Failure, attempt: int, idempotent: bool, write: bool = False
    ) -> bool:
        """Sleep as GitHub asks and return True to retry, or return False to give up now.

        ``attempt`` counts earlier tries of this request (0 after the first failure). A
        ``write`` that failed transiently gets ``write_retries`` retries, not ``retries``;
        rate-limit waits are the same for both: GitHub did nothing and says when to come back.
        """
        if failure.is_rate_limit:
            if attempt >= self.rate_retries:
                return False
            delay = self.rate_limit_delay(failure, attempt)
            if delay > self.max_wait:
                return False
            kind = "secondary rate limit" if self._is_secondary(failure) else "rate limit"
            self.notify(f"GitHub {kind} reached; waiting {delay:.0f} s, then resuming")
        elif failure.is_transient and idempotent:
            if attempt >= (self.write_retries if write else self.retries):
                return False
            delay = BACKOFF_BASE * 2**attempt
            what = f"HTTP {failure.status}" if failure.status else "connection error"
            self.notify(f"GitHub {what}; retrying in {delay:.0f} s")
        else:
            return False
        self._sleep(delay)
        return True

    def rate_limit_delay(self, failure: Failure, attempt: int) -> float:
        """retry-after if given; else until x-ratelimit-reset when none remain; else >= 60 s."""
        retry_after = _number(failure.header("retry-after"))
        if retry_after is not None:
            return max(retry_after, 0.0)
        reset = _number(failure.header("x-ratelimit-reset"))
        if failure.header("x-ratelimit-remaining") == "0" and reset is not None:
            return max(reset - self.clock(), 0.0) + 1.0
        return SECONDARY_WAIT * 2**attempt

    def pause_if_exhausted(self, headers: Mapping[str, str]) -> None:
        """After a successful response that used the last request of the window, wait it out."""
        lowered = {k.lower(): v for k, v in headers.items()}
        if lowered.get("x-ratelimit-remaining") != "0":
            return
        reset = _number(lowered.get("x-ratelimit-reset"))
        if reset is None:
            return
        delay = max(reset - self.clock(), 0.0) + 1.0
        if delay > self.max_wait:
            return  # the next request fails with a clear message instead
        self.notify(f"GitHub rate limit used up; waiting {delay:.0f} s for the reset")
        self._sleep(delay)

    def _sleep(self, delay: float) -> None:
        self.waited += delay
        self.sleep(delay)

    @staticmethod
    def _is_secondary(failure: Failure) -> bool:
        """GitHub names its secondary limits; a 403 refused with requests still left is one too.

        A bare 429 (GraphQL answers over-use with one, often without any x-ratelimit header)
        is a rate limit, not proof of a secondary one.
        """
        text = failure.message.lower()
        if "secondary" in text or "abuse" in text:
            return True
        remaining = failure.header("x-ratelimit-remaining")
        return failure.status == 403 and remaining is not None and remaining != "0"


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def give_up_message(failure: Failure) -> str:
    """One line saying why the request failed; never echoes request headers (tokens)."""
    if failure.is_rate_limit:
        reset = _number(failure.header("x-ratelimit-reset"))
        when = time.strftime("%H:%M UTC", time.gmtime(reset)) if reset is not None else "later"
        return f"GitHub rate limit reached; try again after {when}"
    if failure.status == 0:
        return f"cannot reach GitHub: {failure.message}"
    detail = f": {failure.message}" if failure.message else ""
    return f"GitHub answered HTTP {failure.status}{detail}"
