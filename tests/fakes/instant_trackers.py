"""A backlint plugin for fault tests on the command line: backlint's own GitHub and Jira trackers,
with waits that return at once and, when the environment asks, a short read timeout.

A test copies this file into a folder of its own and runs ``backlint --plugins-dir FOLDER audit
...``; plugins' trackers are asked before the built-ins, so these claim ``github:`` and ``jira:``.
Everything else (retries, rate-limit waits, the failure budget, the write-back) is backlint's.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from backlint import hookimpl
from backlint.trackers.github.auth import authenticate
from backlint.trackers.github.limits import Pacer
from backlint.trackers.github.settings import GitHubSettings
from backlint.trackers.github.tracker import GitHubConnection, GitHubTracker, parse_source
from backlint.trackers.jira.tracker import JiraConnection, JiraTracker

#: The environment variable that shortens the read timeout (30 s on GitHub, 60 s on Jira) to its
#: value in seconds: a fake that holds an answer back for longer trips a real client timeout at
#: once. Unset, the timeouts are backlint's.
READ_TIMEOUT_ENV = "INSTANT_TRACKERS_READ_TIMEOUT"


def read_timeout() -> float | None:
    """The shortened read timeout of this run, if the environment asks for one."""
    value = os.environ.get(READ_TIMEOUT_ENV)
    return float(value) if value else None


def no_wait(seconds: float) -> None:
    """The sleep of these trackers: a wait backlint asks for takes no time."""
    return None


class ShortReads(httpx.HTTPTransport):
    """GraphQL answers that take longer than ``seconds`` raise httpx.ReadTimeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = {
            "connect": 5.0,
            "read": self.seconds,
            "write": 5.0,
            "pool": 5.0,
        }
        return super().handle_request(request)


class InstantGitHub(GitHubTracker):
    """The GitHub tracker, opened with a pacer that never sleeps (and short GraphQL reads).

    PyGithub's REST timeout (writes) stays 30 s: fault tests lose a write's answer instead.
    """

    def open(self, source: str, config: Any, env: Any = None, pacer: Any = None):  # type: ignore[override]
        env = os.environ if env is None else env
        owner, name, _ = parse_source(source)
        settings = GitHubSettings.from_env(config, env)
        factory, token = authenticate(owner, name, config, settings, env)
        pacer = Pacer(sleep=no_wait, max_wait=settings.max_wait)
        seconds = read_timeout()
        transport = ShortReads(seconds) if seconds else None
        return GitHubConnection(
            owner, name, config, settings, factory, token, pacer=pacer, transport=transport
        )


class InstantJira(JiraTracker):
    """The Jira tracker with a sleep that never sleeps (and a short read timeout)."""

    def __init__(self) -> None:
        super().__init__(sleep=no_wait)

    def open(self, source: str, config: Any) -> JiraConnection:
        connection = super().open(source, config)
        seconds = read_timeout()
        if seconds:
            # The client's (public) session carries the timeout; it is read at each request.
            connection.client.session.timeout = seconds
        return connection


@hookimpl
def register_trackers(register: Any) -> None:
    register(InstantGitHub())
    register(InstantJira())
