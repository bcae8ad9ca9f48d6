"""Talking to the GitHub Actions runner: workflow commands, step outputs and the job summary.

The runner reads three things from a step: lines on stdout that start with ``::`` (workflow
commands such as annotations and masks), the file named by ``GITHUB_OUTPUT`` (step outputs) and
the file named by ``GITHUB_STEP_SUMMARY`` (Markdown shown on the run's page). Every value that
came from a ticket is escaped (:mod:`backlint.report.workflow_commands`), so an issue title can
never smuggle in a command of its own (a newline followed by ``::add-mask::`` would otherwise be
read as one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from backlint.report.workflow_commands import escape_data, workflow_command

#: GitHub refuses a step summary above 1 MiB; stay clearly below it.
SUMMARY_LIMIT = 1024 * 1024 - 4096
TRUNCATED_NOTE = "\n\n_The summary was cut here to stay under GitHub's 1 MiB limit._\n"


def output_block(name: str, value: str) -> str:
    """``name=value``, or for a value with line breaks ``name<<DELIM`` / value / ``DELIM``
    with a random delimiter that no line of the value can equal."""
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"ghadelimiter_{os.urandom(16).hex()}"
    while delimiter in value:  # astronomically unlikely; still never emit an ambiguous block
        delimiter = f"ghadelimiter_{os.urandom(16).hex()}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def cap_summary(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """``markdown`` cut at a line boundary so that it fits in ``limit`` bytes, with a note."""
    if len(markdown.encode("utf-8")) <= limit:
        return markdown
    budget = limit - len(TRUNCATED_NOTE.encode("utf-8"))
    kept = markdown.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    if "\n" in kept:
        kept = kept.rsplit("\n", 1)[0]
    return kept + TRUNCATED_NOTE


class Runner:
    """The runner as seen from one step: stdout for commands, files for outputs and summary.

    Outside Actions (no ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY``) outputs and the summary are
    dropped quietly, so ``backlint action`` can be tried locally against a saved payload.
    """

    def __init__(self, environ: Mapping[str, str], stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.output_path = _path(environ.get("GITHUB_OUTPUT"))
        self.summary_path = _path(environ.get("GITHUB_STEP_SUMMARY"))

    def command(self, line: str) -> None:
        """Print one workflow-command line (built with :func:`workflow_command`)."""
        self.stream.write(line + "\n")
        self.stream.flush()

    def mask(self, secret: str | None) -> None:
        """Ask the runner to hide ``secret`` in every later log line."""
        if secret and secret.strip():
            self.command(f"::add-mask::{escape_data(secret.strip())}")

    def notice(self, message: str, title: str = "backlint") -> None:
        self.command(workflow_command("notice", message, title=title))

    def warning(self, message: str, title: str = "backlint") -> None:
        self.command(workflow_command("warning", message, title=title))

    def error(self, message: str, title: str = "backlint") -> None:
        self.command(workflow_command("error", message, title=title))

    def set_outputs(self, values: Mapping[str, str]) -> None:
        """Append step outputs (multiline values in the ``name<<DELIM`` form)."""
        if self.output_path is None:
            return
        with self.output_path.open("a", encoding="utf-8", newline="\n") as handle:
            for name, value in values.items():
                handle.write(output_block(name, value))

    def write_summary(self, markdown: str) -> None:
        """Append Markdown to the job summary, capped below GitHub's 1 MiB per step."""
        if self.summary_path is None:
            return
        with self.summary_path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(cap_summary(markdown))


def token_of(environ: Mapping[str, str]) -> str:
    """The token the workflow hands the step: ``GITHUB_TOKEN`` (action.yml sets it from the
    ``token`` input), else ``GH_TOKEN``."""
    return (environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN") or "").strip()


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
