"""The command line against the fake trackers: their environment set, writes not paced."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from backlint.cli.main import cli


def cli_against(
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    env: Mapping[str, str | None],
    now: Sequence[str] = (),
) -> Callable[..., Result]:
    """``run(*args)``: ``backlint ARGS`` with ``env`` set (None unsets), a config in ``folder``
    that makes write-back unpaced (``[github] write-delay = 0``), and ``now`` appended."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = folder / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, [*args, "--config", str(config), *now])

    return run
