"""Lets the example plugins' tests run from a source checkout without installing them.

CI installs each plugin (``pip install ./plugins/NAME``) and its tests use that install, entry
point included. In a bare checkout this puts each ``plugins/NAME/src`` on ``sys.path`` instead,
only for packages that are not installed; the entry-point tests then skip.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

for src in sorted(Path(__file__).parent.glob("*/src")):
    for package in sorted(p for p in src.iterdir() if (p / "__init__.py").is_file()):
        if importlib.util.find_spec(package.name) is None:
            sys.path.insert(0, str(src))
