"""Where reports and write-back plans go: stdout, or a file written whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from backlint.report.report import Report


def write_report(
    reporter: Callable[..., None],
    report: Report,
    output: str | None,
    options: dict[str, Any] | None = None,
) -> None:
    """Render ``report`` with ``reporter`` to ``output`` (a path, written atomically) or stdout.

    Without ``options["color"]``, colour only on a terminal without ``NO_COLOR``; a file gets no
    colour and 100 columns.
    """
    extra = dict(options or {})
    if output is None:
        extra.setdefault("color", sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        reporter(report, sys.stdout, {"width": None, **extra})
        sys.stdout.flush()
        return
    # Straight into the temporary file: a report of 50,000 tickets is never held whole.
    with atomic_file(Path(output)) as stream:
        reporter(report, stream, {**extra, "color": False, "width": 100})


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text stream into a temporary file beside ``path``, moved onto ``path`` when the block
    ends, so a failure (a reporter that raises) leaves no half file and the old one intact.

    Missing folders are created, and that is said on stderr (one line): a typo in ``--output``
    should not silently grow a new folder tree.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        click.echo(f"backlint: created the folder {folder} for {path.name}", err=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        # mkstemp makes the file private; a report is meant to be shared like any file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
