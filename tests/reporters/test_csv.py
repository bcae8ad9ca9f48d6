"""The csv and csv-summary reports: snapshot, spreadsheet safety."""

from __future__ import annotations

import csv
import io

from fakes.reports import sample_report
from fakes.snapshots import assert_snapshot

from backlint.reporters.csv import FINDING_COLUMNS, cell, write_csv, write_csv_summary


def render(writer, options=None) -> str:
    stream = io.StringIO()
    writer(sample_report(), stream, options or {})
    return stream.getvalue()


def test_snapshots():
    assert_snapshot("sample.csv", render(write_csv))
    assert_snapshot("sample-summary.csv", render(write_csv_summary))


def test_one_row_per_finding_with_a_header_and_a_bom():
    text = render(write_csv)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == FINDING_COLUMNS
    assert len(rows) - 1 == len(sample_report().findings)
    assert all(len(row) == len(FINDING_COLUMNS) for row in rows)


def test_cells_that_look_like_formulas_are_defused():
    rows = list(csv.DictReader(io.StringIO(render(write_csv, {"bom": False}))))
    titles = {row["ticket"]: row["title"] for row in rows}
    assert titles["SHOP-204"] == '\'=HYPERLINK("http://evil.example","click")'
    assert [cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "ok", None, 3)] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "",
        "3",
    ]


def test_summary_starts_with_the_backlog_score():
    rows = list(csv.reader(io.StringIO(render(write_csv_summary, {"bom": False}))))
    assert rows[0] == ["family", "score", "tickets", "findings", "errors", "warnings", "info"]
    assert rows[1] == ["(all)", "66", "9", "15", "2", "11", "2"]
    assert [row[0] for row in rows[2:]] == [
        "clarity",
        "acceptance-criteria",
        "objective-link",
        "priority",
        "hygiene",
        "duplicate",
    ]
