"""Keep secrets out of every message backlint prints.

Trackers and proxies sometimes echo request headers in an error body; backlint quotes error
bodies so the user sees the tracker's own reason. :func:`redact` runs on every error message
(``BacklintError``, failed writes), so no path can print a token: configured secrets (and their
base64 forms inside Basic auth), ``Authorization`` header values, and GitHub token shapes are
replaced by ``***``.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping

SECRET_VARIABLES = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "INPUT_TOKEN",
    "JIRA_API_TOKEN",
    "JIRA_PAT",
    "JIRA_PASSWORD",
    "GITHUB_APP_PRIVATE_KEY",
)
#: Pairs of (user variable, secret variable) that Basic auth sends as base64("user:secret").
BASIC_PAIRS = (("JIRA_EMAIL", "JIRA_API_TOKEN"), ("JIRA_USERNAME", "JIRA_PASSWORD"))
MAX_LENGTH = 600

_AUTH_HEADER = re.compile(
    r"(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|token|basic)\s+)?[^\s\"',;}]+",
    re.IGNORECASE,
)
_GITHUB_TOKEN = re.compile(r"\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{10,}")


def secrets_in(environ: Mapping[str, str]) -> list[str]:
    """The secret values (and encoded forms) configured in ``environ``, longest first."""
    found = [environ[name] for name in SECRET_VARIABLES if len(environ.get(name, "")) >= 4]
    for user, secret in BASIC_PAIRS:
        if environ.get(user) and environ.get(secret):
            pair = f"{environ[user]}:{environ[secret]}".encode()
            found.append(base64.b64encode(pair).decode())
    for value in list(found):
        found += [line.strip() for line in value.splitlines() if len(line.strip()) >= 16]
    return sorted(set(found), key=len, reverse=True)


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with every secret replaced by ``***`` and cut to a readable length."""
    environ = os.environ if environ is None else environ
    for secret in secrets_in(environ):
        text = text.replace(secret, "***")
    text = _AUTH_HEADER.sub(r"\1***", text)
    text = _GITHUB_TOKEN.sub("***", text)
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 1] + "…"
    return text
