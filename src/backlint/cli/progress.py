"""The progress bar shown while tickets are fetched: on an interactive terminal only.

Pipes, files and CI logs get nothing: a bar redrawn a few times per second turns into thousands
of lines in a log. ``progress_bar()`` yields a :data:`backlint.trackers.base.Progress` callback,
or None when no bar should be drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

from backlint.trackers.base import Progress

#: Variables CI services set; any of them means "a log, not a person".
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")


def wants_progress(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """True when ``stream`` is a terminal a person watches (not CI, not TERM=dumb)."""
    if any(environ.get(name) for name in CI_VARIABLES):
        return False
    if environ.get("TERM") == "dumb" or "BACKLINT_NO_PROGRESS" in environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def progress_bar(
    description: str = "Fetching tickets",
    stream: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Iterator[Progress | None]:
    """A rich progress bar on ``stream`` (stderr) while the block runs, removed afterwards."""
    stream = stream or sys.stderr
    if not wants_progress(stream, os.environ if environ is None else environ):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

    bar = RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream),
        transient=True,
    )
    task = bar.add_task(description, total=None)

    def advance(count: int, total: int | None) -> None:
        bar.update(task, advance=count, total=total)

    with bar:
        yield advance
