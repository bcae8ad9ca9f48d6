"""The fetch progress bar: drawn on a terminal only, never in pipes or CI logs."""

from __future__ import annotations

import io

from backlint.cli.progress import progress_bar, wants_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_in_pipes_ci_or_dumb_terminals():
    assert not wants_progress(io.StringIO(), {})
    assert not wants_progress(Terminal(), {"CI": "true"})
    assert not wants_progress(Terminal(), {"GITHUB_ACTIONS": "true"})
    assert not wants_progress(Terminal(), {"TERM": "dumb"})
    assert wants_progress(Terminal(), {"TERM": "xterm-256color"})


def test_pipe_gets_no_callback_and_no_output():
    stream = io.StringIO()
    with progress_bar(stream=stream, environ={}) as progress:
        assert progress is None
    assert stream.getvalue() == ""


def test_terminal_gets_a_callback_that_advances():
    stream = Terminal()
    with progress_bar(stream=stream, environ={"TERM": "xterm"}) as progress:
        assert progress is not None
        for _ in range(3):
            progress(1, None)
        progress(0, 10)
    assert "Fetching tickets" in stream.getvalue()
