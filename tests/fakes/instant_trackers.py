"""A backlint plugin for fault tests on the command line: backlint's own GitHub and Jira trackers,
with waits that return at once and a short read timeout.

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

#: Seconds a client waits for an answer here (30 s and 60 s in real runs): a fake that holds an
#: answer back for longer trips a real client timeout at once.
READ_TIMEOUT = 0.3


def no_wait(seconds: float) -> None:
    """The sleep of these trackers: a wait backlint asks for takes no time."""
    return None


class ShortReads(httpx.HTTPTransport):
    """GraphQL answers that take longer than READ_TIMEOUT raise httpx.ReadTimeout."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = {
            "connect": 5.0,
            "read": READ_TIMEOUT,
            "write": 5.0,
            "pool": 5.0,
        }
        return super().handle_request(request)


class InstantGitHub(GitHubTracker):
    """The GitHub tracker, opened with a pacer that never sleeps and short GraphQL reads.

    PyGithub's REST timeout (writes) stays 30 s: fault tests lose a write's answer instead.
    """

    def open(self, source: str, config: Any, env: Any = None, pacer: Any = None):  # type: ignore[override]
        env = os.environ if env is None else env
        owner, name, _ = parse_source(source)
        settings = GitHubSettings.from_env(config, env)
        factory, token = authenticate(owner, name, config, settings, env)
        pacer = Pacer(sleep=no_wait, max_wait=settings.max_wait)
        return GitHubConnection(
            owner, name, config, settings, factory, token, pacer=pacer, transport=ShortReads()
        )


class InstantJira(JiraTracker):
    """The Jira tracker with a sleep that never sleeps and a short read timeout."""

    def __init__(self) -> None:
        super().__init__(sleep=no_wait)

    def open(self, source: str, config: Any) -> JiraConnection:
        connection = super().open(source, config)
        # The jira library's session carries the timeout; it is read at each request.
        connection.client._jira._session.timeout = READ_TIMEOUT
        return connection


@hookimpl
def register_trackers(register: Any) -> None:
    register(InstantGitHub())
    register(InstantJira())
