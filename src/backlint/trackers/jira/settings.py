"""Where and how to connect to a Jira site, from the environment: ``JIRA_URL`` (or ``[jira] url``)
and either ``JIRA_EMAIL`` + ``JIRA_API_TOKEN`` (Cloud, or a Server/Data Center password) or a
personal access token ``JIRA_PAT`` (Data Center). No ``repr`` or message shows a secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from backlint.errors import TrackerError

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
