"""Fixtures for the GitHub tracker tests: a fake GitHub on loopback and a connection to it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from backlint.config.config import config_from_mapping
from backlint.trackers.github.limits import Pacer
from backlint.trackers.github.tracker import GitHubConnection, GitHubTracker

# Under pytest's importlib import mode nothing puts tests/ on sys.path (the fakes live there).
TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fakes.github_server import FakeGitHub  # noqa: E402


@dataclass
class Clock:
    """A clock that only moves when something sleeps: tests never wait."""

    now: float = 1_800_000_000.0
    sleeps: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now

    def pacer(self) -> Pacer:
        return Pacer(sleep=self.sleep, clock=self.time, notify=self.notes.append)


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def connect(fake_github: FakeGitHub, clock: Clock) -> Callable[..., GitHubConnection]:
    """``connect(source="github:o/r", config={...})``: a connection to the fake, no pacing."""
    opened: list[GitHubConnection] = []

    def make(source: str = "github:o/r", config: dict | None = None) -> GitHubConnection:
        table = {"github": {"write-delay": 0}, **(config or {})}
        connection = GitHubTracker().open(
            source, config_from_mapping(table), env=fake_github.env(), pacer=clock.pacer()
        )
        opened.append(connection)
        return connection

    yield make
    for connection in opened:
        connection.close()
