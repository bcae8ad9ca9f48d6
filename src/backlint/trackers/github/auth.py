"""Credentials for GitHub: a token (``GITHUB_TOKEN`` or ``GH_TOKEN``) or a GitHub App installation
(``[github] app-id``, private key in ``GITHUB_APP_PRIVATE_KEY`` or a file named by
``GITHUB_APP_PRIVATE_KEY_PATH``). PyGithub is imported on first use; no message carries a token
or a key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from backlint.config.config import Config
from backlint.errors import TrackerError
from backlint.trackers.github.settings import API_VERSION, GitHubSettings


def _env_token(env: Mapping[str, str]) -> str | None:
    return (env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip() or None


def _private_key(env: Mapping[str, str]) -> str:
    key = env.get("GITHUB_APP_PRIVATE_KEY")
    if key:
        return key
    path = env.get("GITHUB_APP_PRIVATE_KEY_PATH")
    if not path:
        raise TrackerError(
            "[github] app-id is set: put the App's private key in GITHUB_APP_PRIVATE_KEY or "
            "name its file in GITHUB_APP_PRIVATE_KEY_PATH"
        )
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise TrackerError(
            f"GITHUB_APP_PRIVATE_KEY_PATH: cannot read {path}: {err.strerror}"
        ) from None


def _client_kwargs(settings: GitHubSettings) -> dict[str, Any]:
    return {
        "base_url": settings.api_url,
        "per_page": 100,
        "retry": None,  # backlint's own policy: see github_limits
        "seconds_between_requests": None,
        "seconds_between_writes": None,  # paced by RestSession, with an injectable sleep
        "lazy": True,  # get_repo/get_issue cost no request; only real reads and writes do
        "timeout": 30,
        "api_version": API_VERSION,
    }


def authenticate(
    owner: str, name: str, config: Config, settings: GitHubSettings, env: Mapping[str, str]
) -> tuple[Callable[[], Any], Callable[[], str]]:
    """(github_factory, token_provider) for a token or a GitHub App installation."""
    table = config.section("github")
    if table.get("app-id"):
        key = _private_key(env)

        def app_github() -> Any:
            from github import Auth, Github, GithubException, GithubIntegration

            app = Auth.AppAuth(str(table["app-id"]), key)
            installation = table.get("installation-id")
            try:
                if not installation:
                    integration = GithubIntegration(auth=app, base_url=settings.api_url)
                    installation = integration.get_repo_installation(owner, name).id
                return Github(
                    auth=app.get_installation_auth(int(installation)), **_client_kwargs(settings)
                )
            except GithubException as err:
                raise TrackerError(
                    f"GitHub App {table['app-id']}: no installation for {owner}/{name} "
                    f"(HTTP {err.status})"
                ) from None

        cache: list[Any] = []

        def github_factory() -> Any:
            if not cache:
                cache.append(app_github())
            return cache[0]

        return github_factory, lambda: github_factory().requester.auth.token
    token = _env_token(env)
    if token is None:
        raise TrackerError(
            "no GitHub token: set GITHUB_TOKEN or GH_TOKEN (repo read access; issues: write "
            "for --apply)"
        )

    def token_github() -> Any:
        from github import Auth, Github

        return Github(auth=Auth.Token(token), **_client_kwargs(settings))

    return token_github, lambda: token
