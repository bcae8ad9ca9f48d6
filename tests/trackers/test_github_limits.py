"""The rate-limit and retry policy shared by the GraphQL and REST transports."""

from __future__ import annotations

from backlint.trackers.github.limits import Failure, Pacer, give_up_message


def pacer(sleeps: list[float], notes: list[str] | None = None) -> Pacer:
    return Pacer(
        sleep=sleeps.append,
        clock=lambda: 1000.0,
        notify=(notes if notes is not None else []).append,
    )


def test_retry_after_wins_over_everything():
    sleeps: list[float] = []
    failure = Failure(429, {"Retry-After": "5", "x-ratelimit-remaining": "0"})
    assert pacer(sleeps).wait_before_retry(failure, 0, idempotent=False)
    assert sleeps == [5]


def test_primary_limit_waits_until_reset_plus_a_second():
    sleeps: list[float] = []
    failure = Failure(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1060"})
    assert pacer(sleeps).wait_before_retry(failure, 0, idempotent=False)
    assert sleeps == [61]


def test_secondary_limit_without_headers_waits_a_minute_then_backs_off():
    sleeps: list[float] = []
    notes: list[str] = []
    failure = Failure(403, {}, "You have exceeded a secondary rate limit")
    policy = pacer(sleeps, notes)
    assert policy.wait_before_retry(failure, 0, idempotent=False)
    assert policy.wait_before_retry(failure, 1, idempotent=False)
    assert sleeps == [60, 120] and "secondary rate limit" in notes[0]


def test_a_plain_403_is_not_retried():
    sleeps: list[float] = []
    failure = Failure(403, {}, "Resource not accessible by integration")
    assert not pacer(sleeps).wait_before_retry(failure, 0, idempotent=True)
    assert sleeps == []


def test_server_errors_are_retried_for_reads_only():
    sleeps: list[float] = []
    policy = pacer(sleeps)
    assert not policy.wait_before_retry(Failure(502), 0, idempotent=False)
    assert policy.wait_before_retry(Failure(502), 0, idempotent=True)
    assert policy.wait_before_retry(Failure(0, message="ReadError"), 1, idempotent=True)
    assert sleeps == [1, 2]


def test_give_up_messages_are_one_line():
    assert (
        give_up_message(Failure(0, message="ConnectError")) == "cannot reach GitHub: ConnectError"
    )
    assert give_up_message(Failure(500, message="boom")) == "GitHub answered HTTP 500: boom"
    limited = give_up_message(
        Failure(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"})
    )
    assert limited.startswith("GitHub rate limit reached; try again after 00:00 UTC")


def test_a_failing_write_is_retried_once_a_read_keeps_its_retries():
    sleeps: list[float] = []
    policy = pacer(sleeps)
    assert policy.wait_before_retry(Failure(502), 0, idempotent=True, write=True)
    assert not policy.wait_before_retry(Failure(502), 1, idempotent=True, write=True)
    assert all(policy.wait_before_retry(Failure(502), n, idempotent=True) for n in range(4))
    assert not policy.wait_before_retry(Failure(502), 4, idempotent=True)
