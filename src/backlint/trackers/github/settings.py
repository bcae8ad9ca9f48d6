"""Where and how backlint talks to GitHub: API URLs (github.com, Enterprise Server or a test
server, from ``GITHUB_API_URL`` / ``GITHUB_GRAPHQL_URL``) and the ``[github]`` config table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from backlint.config.config import Config
from backlint.errors import TrackerError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class GitHubSettings:
    """Where and how to talk to GitHub; from the environment and the ``[github]`` table."""

    api_url: str
    graphql_url: str
    write_delay: float = 1.0
    comments: int = 10
    projects: bool = True
    issue_types: bool = True
    priority_field: str = "Priority"
    max_wait: float = 900.0
    read_streams: int = 2

    @classmethod
    def from_env(cls, config: Config, env: Mapping[str, str] | None = None) -> GitHubSettings:
        """Settings from ``env`` (default ``os.environ``) and ``config``; TrackerError if bad."""
        env = os.environ if env is None else env
        table = config.section("github")
        api_url = _checked_url(env, "GITHUB_API_URL", DEFAULT_API_URL).rstrip("/")
        graphql_url = _checked_url(env, "GITHUB_GRAPHQL_URL", _graphql_url_for(api_url))
        try:
            return cls(
                api_url=api_url,
                graphql_url=graphql_url,
                write_delay=float(table.get("write-delay", 1.0)),
                comments=max(1, min(100, int(table.get("comments", 10)))),
                projects=bool(table.get("projects", True)),
                issue_types=bool(table.get("issue-types", True)),
                priority_field=str(config.section("priority").get("field") or "Priority"),
                max_wait=float(table.get("max-wait", 900.0)),
                read_streams=1 if table.get("read-streams", 2) == 1 else 2,
            )
        except (TypeError, ValueError) as err:
            raise TrackerError(f"config [github]: {err}") from None


def _checked_url(env: Mapping[str, str], name: str, default: str) -> str:
    """``env[name]`` (or ``default``) when it is an http(s) URL with a host; else TrackerError.

    A value that is no URL would otherwise be retried as a network failure for seconds before
    failing; it is a setup mistake, and saying so at once is kinder.
    """
    value = (env.get(name) or "").strip() or default
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        shown = value.rsplit("@", 1)[-1][:60]  # never echo what may be user:password@
        shown = ("...@" if "@" in value else "") + shown
        raise TrackerError(
            f"{name} {shown!r} is not a URL (expected https://HOST[/PATH], e.g. {DEFAULT_API_URL})"
        )
    return value


def _graphql_url_for(api_url: str) -> str:
    """github.com: api.github.com/graphql; GHES: https://host/api/v3 → https://host/api/graphql."""
    if api_url.endswith("/api/v3"):
        return api_url[: -len("/v3")] + "/graphql"
    return api_url + "/graphql"
