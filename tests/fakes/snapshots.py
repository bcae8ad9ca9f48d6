"""Compare output with a committed snapshot under tests/fixtures/reports/.

Set BACKLINT_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change, then review
the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("BACKLINT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"no snapshot {path}; run with BACKLINT_UPDATE_SNAPSHOTS=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its snapshot"
