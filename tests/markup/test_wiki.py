"""Tests for backlint.markup.wiki: Jira wiki markup ↔ normalised text."""

import csv
import re
from pathlib import Path

import pytest

from backlint.markup import markdown_to_wiki, wiki_to_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markup"
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
TAWOSI = CORPORA / "tawosi-jira-storypoints"


def test_story_fixture_matches_shared_normal_form() -> None:
    expected = (FIXTURES / "story.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert wiki_to_text((FIXTURES / "story.wiki").read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("value", [None, "", 3, ["h1. x"]])
def test_junk_input_gives_empty_string(value: object) -> None:
    assert wiki_to_text(value) == ""  # type: ignore[arg-type]


def test_headings_with_and_without_space() -> None:
    assert wiki_to_text("h1. Title\nh5.Description\ntext\nh1.5 is a version") == (
        "# Title\n\n##### Description\n\ntext\nh1.5 is a version"
    )


def test_inline_markers_are_stripped() -> None:
    src = (
        "*bold* _it_ -strike- +under+ ^sup^ ~sub~ ??cite?? {color:red}red{color} "
        "snake_case_name well-known a - b 2*3*4 {{mono *raw*}} {{\\{a\\}}}"
    )
    assert wiki_to_text(src) == (
        "bold it strike under sup sub cite red snake_case_name well-known a - b 2*3*4 "
        "`mono *raw*` `{a}`"
    )


def test_links_mentions_attachments_and_images() -> None:
    src = (
        "[docs|https://d.io/a_b-c] [https://x.io] [~jdoe] [~accountid:5b10] [^log.txt] "
        "[not a link] https://bare.io/x_y_ !shot.png|thumbnail! wow!"
    )
    assert wiki_to_text(src) == (
        "docs (https://d.io/a_b-c) https://x.io @jdoe @5b10 log.txt "
        "[not a link] https://bare.io/x_y_ [image: shot.png] wow!"
    )


def test_bullets_numbers_nesting_and_checkboxes() -> None:
    src = "Notes:\n* a\n** b\n*# c\n*# d\n- dash\n# one\n## sub\n# two\n* [x] done\n* (x) no"
    assert wiki_to_text(src) == (
        "Notes:\n\n- a\n  - b\n  1. c\n  2. d\n- dash\n1. one\n  1. sub\n2. two\n"
        "- [x] done\n- [ ] no"
    )


def test_tables_quotes_panels_breaks_and_rules() -> None:
    src = (
        "||H1||H2||\n|a [x|http://y]|b|\n|c|\n"
        "{quote}first\n* item{quote}\nbq. short\n"
        "{panel:title=Risks|borderStyle=dashed}inside{panel}\n"
        "one\\\\two\n----\n{noformat}\n*raw* h1. x\n{noformat}"
    )
    assert wiki_to_text(src) == (
        "H1 | H2\na x (http://y) | b\nc\n\n> first\n> - item\n\n> short\n\nRisks\n\ninside\n\n"
        "one\ntwo\n\n---\n\n```\n*raw* h1. x\n```"
    )


def test_code_macros_languages_and_unclosed_code() -> None:
    src = (
        "Run {code:title=A.java|language=java}int a;{code} then\n"
        "{code:xml|title=x}<a/>{code}\n{code}\nunclosed *stays*"
    )
    assert wiki_to_text(src) == (
        "Run\n\n```java\nint a;\n```\n\nthen\n\n```xml\n<a/>\n```\n\n```\nunclosed *stays*\n```"
    )


def test_emoticons_map_to_adf_short_names() -> None:
    assert wiki_to_text("ok (/) bad (x) warn (!) ask (?) (y) (n) f(x)") == (
        "ok :check_mark: bad :cross_mark: warn :warning: ask :question_mark: "
        ":thumbsup: :thumbsdown: f(x)"
    )


def test_malformed_markup_never_raises() -> None:
    for src in (
        "{{unclosed",
        "[broken|",
        "{quote}never closed",
        "*",
        "||",
        "h7. x",
        "{panel}",
        "{color}x",
        "\\",
        "!" * 50,
        "#" * 200 + " deep",
    ):
        assert isinstance(wiki_to_text(src), str)
    assert wiki_to_text("{quote}never closed") == "> never closed"


# --- markdown_to_wiki ------------------------------------------------------------------

COMMENT_MD = """## backlint: 2 findings

<!-- backlint:v1 digest=abc123 -->
- **missing-ac**: no `Acceptance criteria` section ([docs](https://bl.io/r/ac))
  - braces {x} and [y] are escaped
- two

1. first
> note
---
```
raw *x*
```"""


def test_markdown_to_wiki_exact_output() -> None:
    assert markdown_to_wiki(COMMENT_MD) == (
        "h2. backlint: 2 findings\n\n{color:#999999}backlint:v1 digest=abc123{color}\n"
        "* *missing-ac*: no {{Acceptance criteria}} section ([docs|https://bl.io/r/ac])\n"
        "** braces \\{x\\} and \\[y\\] are escaped\n* two\n\n# first\nbq. note\n----\n"
        "{code}\nraw *x*\n{code}"
    )


def test_markdown_to_wiki_round_trip_keeps_marker() -> None:
    text = wiki_to_text(markdown_to_wiki(COMMENT_MD))
    assert "backlint:v1 digest=abc123" in text
    assert text == (
        "## backlint: 2 findings\n\nbacklint:v1 digest=abc123\n\n"
        "- missing-ac: no `Acceptance criteria` section (docs (https://bl.io/r/ac))\n"
        "  - braces {x} and [y] are escaped\n- two\n\n1. first\n\n> note\n\n---\n\n"
        "```\nraw *x*\n```"
    )


def test_markdown_to_wiki_escapes_leading_markers_and_closes_fences() -> None:
    assert markdown_to_wiki("*not a bullet*\n```sh\nls") == (
        "\\*not a bullet\\*\n{code:sh}\nls\n{code}"
    )


def test_markdown_to_wiki_keeps_quoted_text_literal() -> None:
    """Escaped Markdown stays literal in wiki markup: no link, no image embed, no bold."""
    wiki = markdown_to_wiki("Quoted: \\[x\\](http://evil/) !http://evil/p.png! \\*b\\* {x}")
    assert "[x|" not in wiki and "\\\\" not in wiki
    assert "\\!http://evil/p.png\\!" in wiki
    assert "\\[x\\]" in wiki and "\\*b\\*" in wiki and "\\{x\\}" in wiki
    assert "<!--" not in markdown_to_wiki("<!-- a note -->\ntext")
    assert markdown_to_wiki("") == ""


# --- real wiki descriptions (skipped when the shared corpora are absent) ----------------

LEFTOVER_BLOCK = re.compile(r"(?m)^\s*(?:h[1-6]\.(?!\d)|bq\.\s)")
LEFTOVER_MACRO = re.compile(r"\{(?:code|noformat|quote|panel|color)(?::[^}\n]*)?\}")


def _descriptions() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in sorted(TAWOSI.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("description"):
                    rows.append((row.get("issuekey", "?"), row["description"]))
    return rows


@pytest.mark.skipif(not TAWOSI.is_dir(), reason="shared corpora not available")
def test_tawosi_wiki_descriptions_leave_no_markers() -> None:
    rows = _descriptions()
    assert len(rows) > 3000
    for key, desc in rows:
        # The CSV flattened newlines to spaces; two spaces mark one former line break.
        for src in (desc, desc.replace("  ", "\n")):
            out = wiki_to_text(src)
            prose = re.sub(r"(?ms)^```.*?^```$", "", out)
            assert not LEFTOVER_MACRO.search(prose), key
            if src is not desc:
                assert not LEFTOVER_BLOCK.search(prose), key
