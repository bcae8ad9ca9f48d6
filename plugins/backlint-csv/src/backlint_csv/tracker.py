"""The CSV tracker: claims ``csv:PATH`` and ``*.csv`` sources and reads them, read-only.

All file access of the plugin is here; :mod:`backlint_csv.mapping` turns rows into tickets.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from backlint import Ticket
from backlint.errors import SourceError
from backlint_csv.mapping import header_map, ticket_from_row

READ_ONLY = "CSV exports are read-only: --apply needs a github: or jira: source"


def split_source(source: str) -> tuple[Path, str]:
    """``csv:path.csv::KEY`` → (path, key); the ``csv:`` prefix and ``::KEY`` are optional."""
    text = source[4:] if source.startswith("csv:") else source
    path, _, key = text.partition("::")
    return Path(path), key


@dataclass
class CsvConnection:
    """An open CSV export."""

    path: Path
    config: object

    def rows(self) -> Iterator[Ticket]:
        renames = dict(self.config.section("plugins").get("csv", {}).get("columns", {}))
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                headers = next(reader, None)
                if not headers:
                    raise SourceError(f"{self.path}: the CSV file is empty")
                columns = header_map(headers, renames)
                if "key" not in columns.values():
                    raise SourceError(f"{self.path}: no key column (e.g. 'Issue key' or 'ID')")
                for row in reader:
                    if not any(cell.strip() for cell in row):
                        continue
                    line = reader.line_num  # the row's last physical line
                    try:
                        yield ticket_from_row(row, columns, str(self.path))
                    except ValueError as err:
                        # One bad row becomes a finding (BL902); the rest is still audited.
                        yield Ticket(
                            key=f"{self.path.name}:{line}",
                            tracker="csv",
                            load_error=f"line {line}: {err}",
                        )
        except FileNotFoundError:
            raise SourceError(f"{self.path}: no such file") from None
        except (UnicodeDecodeError, csv.Error) as err:
            raise SourceError(f"{self.path}: not a readable CSV file: {err}") from None

    def fetch(self, options, progress=None) -> Iterator[Ticket]:
        for count, ticket in enumerate(self.rows()):
            if options.limit is not None and count >= options.limit:
                return
            if progress:
                progress(1, None)
            yield ticket

    def fetch_one(self, ref: str) -> Ticket:
        _, key = split_source(ref)
        if not key:
            raise SourceError(f"{ref}: name one ticket as {self.path}::KEY")
        for ticket in self.rows():
            if ticket.key == key:
                return dataclasses.replace(ticket)
        raise SourceError(f"{self.path}: no ticket {key!r} in the file")

    def current_state(self, ticket, has_findings):
        raise SourceError(READ_ONLY)

    def apply(self, plan):
        raise SourceError(READ_ONLY)

    def close(self) -> None:
        return None


class CsvTracker:
    """Claims ``csv:...`` sources and paths ending in ``.csv``."""

    name = "csv"
    writable = False

    def claims(self, source: str) -> bool:
        path, _ = split_source(source)
        return source.startswith("csv:") or path.suffix.lower() == ".csv"

    def open(self, source: str, config) -> CsvConnection:
        path, _ = split_source(source)
        return CsvConnection(path, config)
