"""A folder of export files as one SOURCE: every .json and .jsonl file in it, in name order.

A file that cannot be read or parsed does not stop the others: it becomes one unreadable ticket
whose key is the file's path (the engine reports it as BL902, and the run exits 2 as for any
run problem). Only a folder in which no file could be read fails as a whole, in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from backlint.errors import SourceError
from backlint.model import Ticket
from backlint.trackers.file_guidance import folder_without_exports

EXPORT_SUFFIXES = (".json", ".jsonl")


def read_folder(folder: Path, read_one: Callable[[Path], Iterable[Ticket]]) -> Iterator[Ticket]:
    """The tickets of every export file in ``folder``, read by ``read_one``; SourceError when
    there is no export file or none could be read."""
    files = sorted(p for p in folder.iterdir() if p.suffix in EXPORT_SUFFIXES and p.is_file())
    if not files:
        raise SourceError(folder_without_exports(folder))
    # Unreadable files wait until one file has been read: if none can be, the folder fails in
    # one line and nothing has been yielded yet.
    waiting: list[Ticket] = []
    first_error = ""
    read_any = False
    for file in files:
        try:
            # The whole file first: one that fails half-way must give no ticket but its own.
            tickets = list(read_one(file))
        except SourceError as err:
            first_error = first_error or str(err)
            waiting.append(unreadable_file(file, str(err)))
            continue
        read_any = True
        yield from waiting
        waiting.clear()
        yield from tickets
    if not read_any:
        raise SourceError(
            f"{folder}: none of its {len(files)} export files could be read ({first_error})"
        )
    yield from waiting


def unreadable_file(file: Path, error: str) -> Ticket:
    """A file that cannot be read, as a ticket with a load error keyed by the file's path."""
    reason = error.removeprefix(f"{file}: ")  # the key names the file already
    return Ticket(key=str(file), tracker="file", load_error=f"could not read this file: {reason}")
