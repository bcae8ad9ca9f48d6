"""Tests for backlint.markup.markdown: GitHub Markdown → normalised plain text."""

from pathlib import Path

import pytest

from backlint.markup import markdown_to_text
from backlint.markup.markdown import link_text, tidy_lines
from backlint.rules.text.util import strip_code

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markup"


def test_story_fixture_matches_shared_normal_form() -> None:
    expected = (FIXTURES / "story.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert markdown_to_text((FIXTURES / "story.md").read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("value", [None, "", 42, b"bytes", ["x"]])
def test_junk_input_gives_empty_string(value: object) -> None:
    assert markdown_to_text(value) == ""  # type: ignore[arg-type]


def test_crlf_and_blank_line_runs_are_normalised() -> None:
    assert markdown_to_text("a\r\nb\r\n\r\n\r\n\r\nc\rd\n\n") == "a\nb\n\nc\nd"


def test_html_comments_removed_by_default_and_kept_on_request() -> None:
    src = "Intro\n<!-- Describe the bug.\nMore help. -->\nBody <!-- inline --> end"
    assert markdown_to_text(src) == "Intro\n\nBody  end"
    kept = markdown_to_text(src, keep_comments=True)
    assert "<!-- Describe the bug.\nMore help. -->" in kept
    assert "Body <!-- inline --> end" in kept


def test_unclosed_comment_hides_the_rest() -> None:
    assert markdown_to_text("shown\n<!-- never closed\nhidden") == "shown"


def test_comment_inside_code_fence_is_kept() -> None:
    src = "```html\n<!-- kept -->\n# not a heading\n```"
    assert markdown_to_text(src) == src


def test_details_summary_and_known_tags_are_stripped() -> None:
    src = "<details><summary>Logs</summary>\n\nline <b>one</b><br>line two\n</details>"
    assert markdown_to_text(src) == "Logs\n\nline one\nline two"


def test_unknown_angle_brackets_are_not_treated_as_html() -> None:
    assert markdown_to_text("Use List<String> and a <-> b") == "Use List<String> and a <-> b"


def test_html_list_headings_and_images() -> None:
    src = '<h3>Steps</h3><ul><li>one</li><li>two</li></ul><img src="x.png" alt="shot">'
    assert markdown_to_text(src) == "### Steps\n\n- one\n- two\n\n[image: shot]"


def test_setext_and_atx_headings() -> None:
    src = "Title\n=====\nSub title\n---\n#   Closed ATX ###\ntext\n#hashtag stays"
    assert markdown_to_text(src) == (
        "# Title\n\n## Sub title\n\n# Closed ATX\n\ntext\n#hashtag stays"
    )


def test_thematic_break_after_blank_line_is_a_rule() -> None:
    assert markdown_to_text("a\n\n***\n\nb\n\n- - -") == "a\n\n---\n\nb\n\n---"


def test_bullets_checkboxes_and_nesting_are_normalised() -> None:
    src = (
        "Notes:\n* one\n* [X] done\n    + nested\n    + [ ] todo\n"
        "        1. deep\n        7. deeper\n* two\n  continued"
    )
    assert markdown_to_text(src) == (
        "Notes:\n\n- one\n- [x] done\n  - nested\n  - [ ] todo\n"
        "    1. deep\n    2. deeper\n- two\n  continued"
    )


def test_ordered_lists_are_numbered_from_their_start() -> None:
    assert markdown_to_text("3) c\n3) d\n\nx\n\n1. a\n1. b") == "3. c\n4. d\n\nx\n\n1. a\n2. b"


def test_loose_lists_become_compact_but_different_lists_stay_apart() -> None:
    assert markdown_to_text("1. a\n\n1. b\n\n- c\n\n- d") == "1. a\n2. b\n\n- c\n- d"


def test_tables_become_pipe_joined_rows() -> None:
    src = "Before\n| a | b |\n|---|:-:|\n| `x` | **2** |\n\nAfter"
    assert markdown_to_text(src) == "Before\n\na | b\n`x` | 2\n\nAfter"


def test_inline_emphasis_links_and_code() -> None:
    # 2*3*4 is 2<em>3</em>4 in CommonMark (``*`` may open and close inside a word; ``_`` may
    # not, so snake_case_name stays whole): the old converter kept the asterisks.
    src = (
        "*em* **strong** __under__ ~~gone~~ snake_case_name 2*3*4 "
        "[docs](https://d.io/a_(b)) <https://auto.io> [same](https://same.io) "
        "`**kept**` \\*escaped\\* ![alt](i.png) ![](j.png)"
    )
    assert markdown_to_text(src) == (
        "em strong under gone snake_case_name 234 docs (https://d.io/a_(b)) "
        "https://auto.io same (https://same.io) `**kept**` *escaped* [image: alt] [image]"
    )


def test_link_equal_to_url_shows_once() -> None:
    assert markdown_to_text("[https://x.io](https://x.io)") == "https://x.io"
    assert link_text("", "https://x.io") == "https://x.io"
    assert link_text("t", "") == "t"


def test_tilde_and_unclosed_fences() -> None:
    assert markdown_to_text("~~~sh\n$ ls\n~~~\nafter") == "```sh\n$ ls\n```\n\nafter"
    assert markdown_to_text("```\nnever closed\n\n\n*x*") == "```\nnever closed\n\n\n*x*\n```"


def test_quotes_keep_prefix_and_nesting() -> None:
    assert markdown_to_text("> **a**\n>> b\n> - c") == "> a\n> > b\n> - c"


def test_pathological_quote_depth_does_not_recurse() -> None:
    out = markdown_to_text(">" * 5000 + " deep")
    assert out.endswith("deep")


def test_tidy_lines_puts_blank_lines_around_headings_and_lists() -> None:
    assert tidy_lines(["", "text", "## H", "- a", "  more", "tail", "", ""]) == (
        "text\n\n## H\n\n- a\n  more\n\ntail"
    )


# --- CommonMark: what the regex converter before issue 15 got wrong ---------------------------


def test_indented_code_block_is_code_not_prose() -> None:
    src = "Steps:\n\n    npm install\n    npm start\n\nIt fails."
    assert markdown_to_text(src) == "Steps:\n\n```\nnpm install\nnpm start\n```\n\nIt fails."
    assert strip_code(markdown_to_text(src)) == "Steps:\n\n\nIt fails."


def test_indented_code_inside_a_list_item_is_code() -> None:
    src = "1. Step one\n\n       code in the step\n\n2. Step two"
    assert markdown_to_text(src) == "1. Step one\n\n```\ncode in the step\n```\n\n2. Step two"


def test_comment_in_code_is_code_not_a_comment() -> None:
    assert markdown_to_text("Run `<!-- x -->` to see.") == "Run `<!-- x -->` to see."
    assert markdown_to_text("Template:\n\n    <!-- keep me -->") == (
        "Template:\n\n```\n<!-- keep me -->\n```"
    )


def test_comment_cannot_span_paragraphs_inline() -> None:
    # inline raw HTML ends with its paragraph, so this is text (GitHub shows it so)
    assert markdown_to_text("text <!-- a\n\nb --> more") == "text <!-- a\n\nb --> more"


def test_fenced_code_in_a_quote_is_code_the_rules_can_see() -> None:
    text = markdown_to_text("> ```\n> crash log\n> ```\n\nAfter.")
    assert text == "```\ncrash log\n```\n\nAfter."
    assert strip_code(text) == "\nAfter."


def test_a_prose_line_of_tildes_is_not_a_fence() -> None:
    # a compiler's "~~~^~~~" continues the paragraph; strip_code must not take it for code
    text = markdown_to_text("error here\n    ~~~^~~~\nThe build fails.")
    assert text == "error here\n\\~~~^~~~\nThe build fails."
    assert "The build fails." in strip_code(text)


def test_lazy_continuation_line_stays_in_the_quote() -> None:
    assert markdown_to_text("> quoted\nlazy line") == "> quoted\n> lazy line"


def test_reference_links_resolve_and_definitions_disappear() -> None:
    src = "See [the docs][d].\n\n[d]: https://x.io/docs"
    assert markdown_to_text(src) == "See the docs (https://x.io/docs)."


def test_entities_are_decoded() -> None:
    assert markdown_to_text("Fish &amp; chips &lt;T&gt; &copy;") == "Fish & chips <T> ©"


def test_setext_heading_takes_every_line_of_its_paragraph() -> None:
    assert markdown_to_text("A long\ntitle\n===") == "# A long title"


def test_email_autolink_nested_brackets_and_backslash_break() -> None:
    assert markdown_to_text("Mail <someone@example.com>") == "Mail someone@example.com"
    assert markdown_to_text("Read [the [new] docs](https://x.io).") == (
        "Read the [new] docs (https://x.io)."
    )
    assert markdown_to_text("first\\\nsecond") == "first\nsecond"


def test_code_keeps_its_tabs_after_the_list_indent() -> None:
    src = "- item\n\n  ```\n  \tindented by a tab\n  ```"
    assert markdown_to_text(src) == "- item\n\n```\n\tindented by a tab\n```"


def test_a_code_line_that_looks_like_a_fence_does_not_end_the_code() -> None:
    text = markdown_to_text("````md\n```js\nx()\n```\n````\nafter")
    assert text == "```md\n\\```js\nx()\n\\```\n```\n\nafter"
    assert strip_code(text) == "\nafter"


def test_deep_nesting_stays_bounded() -> None:
    out = markdown_to_text("- " * 3000 + "deep")
    assert out.endswith("deep")
