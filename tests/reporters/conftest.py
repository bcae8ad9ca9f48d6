"""Reporter tests import their sample report from tests/fakes; under pytest's importlib import
mode nothing puts tests/ on sys.path, so this folder's conftest does."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
