"""Workflow commands, step outputs and the job summary as the runner reads them."""

from __future__ import annotations

import io

from backlint.action.runner import SUMMARY_LIMIT, Runner, cap_summary, output_block
from backlint.report.workflow_commands import (
    annotation,
    escape_data,
    escape_property,
    workflow_command,
)


def test_escaping_follows_actions_core():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_ticket_text_cannot_start_a_command_of_its_own():
    title = "Pay button\n::add-mask::secret\n::stop-commands::x"
    line = workflow_command("error", title, title=title)
    assert "\n" not in line
    assert line.count("::") == 2 + title.count("::")  # only the command's own pair is live
    assert line.startswith("::error title=Pay button%0A%3A%3Aadd-mask%3A%3Asecret")


def test_annotation_levels():
    assert annotation("error", "m", "t") == "::error title=t::m"
    assert annotation("warning", "m") == "::warning::m"
    assert annotation("info", "m", "t") == "::notice title=t::m"


def test_outputs_single_and_multiline(tmp_path):
    path = tmp_path / "out"
    runner = Runner({"GITHUB_OUTPUT": str(path)}, io.StringIO())
    runner.set_outputs({"findings": "3", "skipped": "line one\nline two"})
    text = path.read_text()
    assert text.startswith("findings=3\nskipped<<ghadelimiter_")
    delimiter = text.splitlines()[1].split("<<", 1)[1]
    assert text.splitlines()[2:5] == ["line one", "line two", delimiter]


def test_output_delimiter_never_occurs_in_the_value():
    block = output_block("x", "a\nb")
    delimiter = block.splitlines()[0].split("<<")[1]
    assert block == f"x<<{delimiter}\na\nb\n{delimiter}\n"
    assert delimiter not in "a\nb"


def test_summary_is_appended_and_capped(tmp_path):
    path = tmp_path / "summary"
    path.write_text("earlier step\n")
    runner = Runner({"GITHUB_STEP_SUMMARY": str(path)}, io.StringIO())
    runner.write_summary("| row |\n" * 300_000)
    text = path.read_text()
    assert text.startswith("earlier step\n| row |")
    assert len(text.encode()) - len("earlier step\n") <= SUMMARY_LIMIT
    assert text.endswith("1 MiB limit._\n")


def test_cap_summary_keeps_small_text_and_whole_characters():
    assert cap_summary("short") == "short"
    capped = cap_summary("é" * 100 + "\n" + "é" * 100, limit=150)
    capped.encode("utf-8")  # never a broken character
    assert len(capped.encode()) <= 150


def test_outside_actions_outputs_and_summary_are_dropped():
    stream = io.StringIO()
    runner = Runner({}, stream)
    runner.set_outputs({"a": "1"})
    runner.write_summary("x")
    runner.mask("")
    assert stream.getvalue() == ""


def test_mask():
    stream = io.StringIO()
    Runner({}, stream).mask("ghp_abc")
    assert stream.getvalue() == "::add-mask::ghp_abc\n"
