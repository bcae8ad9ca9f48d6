"""Tests for backlint.markup.adf: ADF → normalised text and Markdown subset → ADF."""

import json
from pathlib import Path
from typing import Any

import pytest

from backlint.markup import adf_to_text, markdown_to_adf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markup"
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
JIRA_CLI = CORPORA / "jira-rest-shapes" / "jira-cli"


def t(text: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        node["marks"] = list(marks)
    return node


def p(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def doc(*content: Any) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def li(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "listItem", "content": list(content)}


def test_story_fixture_matches_shared_normal_form() -> None:
    expected = (FIXTURES / "story.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    story = json.loads((FIXTURES / "story.adf.json").read_text(encoding="utf-8"))
    assert adf_to_text(story) == expected
    assert adf_to_text(json.dumps(story)) == expected  # JSON string input


@pytest.mark.parametrize("value", [None, 42, ["x"], {"no": "type"}, "[1, 2]", "null", ""])
def test_junk_input_gives_empty_string(value: Any) -> None:
    assert adf_to_text(value) == ""


def test_plain_string_description_is_returned_normalised() -> None:
    assert adf_to_text("v2 plain\r\ndescription\n\n\n") == "v2 plain\ndescription"


def test_paragraphs_hard_breaks_and_marks() -> None:
    d = doc(
        p(t("a "), t("bold", {"type": "strong"}), {"type": "hardBreak"}, t("x", {"type": "code"})),
        p(),
        p(
            t("u", {"type": "link", "attrs": {"href": "https://u.io"}}),
            t(" "),
            t("https://same.io", {"type": "link", "attrs": {"href": "https://same.io"}}),
        ),
    )
    assert adf_to_text(d) == "a bold\n`x`\n\nu (https://u.io) https://same.io"


def test_mentions_emoji_cards_status_and_date() -> None:
    d = doc(
        p(
            {"type": "mention", "attrs": {"id": "abc", "text": "@Ada"}},
            t(" "),
            {"type": "mention", "attrs": {"id": "5b10"}},
            t(" "),
            {"type": "emoji", "attrs": {"shortName": ":tada:", "text": "🎉"}},
            t(" see"),
            {"type": "inlineCard", "attrs": {"url": "https://c.io/1"}},
            t(" "),
            {"type": "status", "attrs": {"text": "IN PROGRESS", "color": "blue"}},
            t(" due "),
            {"type": "date", "attrs": {"timestamp": "1700000000000"}},
            t(" "),
            {"type": "date", "attrs": {"timestamp": "garbage"}},
        ),
        {"type": "blockCard", "attrs": {"url": "https://c.io/2"}},
    )
    assert adf_to_text(d) == (
        "@Ada @5b10 :tada: see https://c.io/1 IN PROGRESS due 2023-11-14\n\nhttps://c.io/2"
    )


def test_heading_levels_are_clamped() -> None:
    d = doc(
        *(
            {"type": "heading", "attrs": {"level": lv}, "content": [t(f"L{lv}")]}
            for lv in (1, 3, 9, "x")
        )
    )
    assert adf_to_text(d) == "# L1\n\n### L3\n\n###### L9\n\n# Lx"


def test_nested_bullet_and_ordered_lists() -> None:
    d = doc(
        p(t("Intro")),
        {
            "type": "bulletList",
            "content": [
                li(
                    p(t("one")),
                    {
                        "type": "orderedList",
                        "attrs": {"order": 3},
                        "content": [li(p(t("three"))), li(p(t("four")), p(t("second para")))],
                    },
                ),
                li(p(t("two"))),
            ],
        },
    )
    assert adf_to_text(d) == "Intro\n\n- one\n  3. three\n  4. four\n    second para\n- two"


def test_task_lists_including_nested_task_lists() -> None:
    d = doc(
        {
            "type": "taskList",
            "attrs": {"localId": "a"},
            "content": [
                {"type": "taskItem", "attrs": {"state": "DONE"}, "content": [t("done")]},
                {
                    "type": "taskList",
                    "content": [
                        {"type": "taskItem", "attrs": {"state": "TODO"}, "content": [t("sub")]}
                    ],
                },
                {"type": "taskItem", "attrs": {}, "content": [t("no state")]},
            ],
        }
    )
    assert adf_to_text(d) == "- [x] done\n  - [ ] sub\n- [ ] no state"


def test_check_mark_emoji_items_become_checkboxes() -> None:
    d = doc(
        {
            "type": "bulletList",
            "content": [
                li(p({"type": "emoji", "attrs": {"shortName": ":check_mark:"}}, t(" ok"))),
                li(p({"type": "emoji", "attrs": {"shortName": ":cross_mark:"}}, t(" no"))),
            ],
        }
    )
    assert adf_to_text(d) == "- [x] ok\n- [ ] no"


def test_code_block_table_quote_panel_expand_rule_media() -> None:
    d = doc(
        {"type": "codeBlock", "attrs": {"language": "sql"}, "content": [t("select 1;\n")]},
        {"type": "codeBlock", "content": []},
        {
            "type": "table",
            "content": [
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableHeader", "content": [p(t("A"))]},
                        {"type": "tableHeader", "content": [p(t("B")), p(t("B2"))]},
                    ],
                },
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableCell", "content": [p(t("1"))]},
                        {"type": "tableCell", "content": []},
                    ],
                },
            ],
        },
        {
            "type": "panel",
            "attrs": {"panelType": "info"},
            "content": [{"type": "blockquote", "content": [p(t("q1")), p(t("q2"))]}],
        },
        {"type": "expand", "attrs": {"title": "Details"}, "content": [p(t("hidden"))]},
        {"type": "rule"},
        {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"alt": "shot.png"}}]},
    )
    assert adf_to_text(d) == (
        "```sql\nselect 1;\n```\n\n```\n```\n\nA | B B2\n1 |\n\n> q1\n>\n> q2\n\n"
        "Details\n\nhidden\n\n---\n\n[image: shot.png]"
    )


def test_unknown_nodes_render_children_and_stray_inlines() -> None:
    d = doc(
        {"type": "futureThing", "content": [p(t("kept"))]},
        t("stray "),
        t("inline"),
        {"type": "layoutSection", "content": [{"type": "layoutColumn", "content": [p(t("col"))]}]},
        {"type": "mysteryInline", "text": "raw text"},
    )
    assert adf_to_text(d) == "kept\n\nstray inline\n\ncol\n\nraw text"


def test_malformed_shapes_never_raise() -> None:
    d = {
        "type": "doc",
        "content": [
            "junk",
            7,
            None,
            {"type": "paragraph", "content": "not a list"},
            {
                "type": "paragraph",
                "content": [
                    {"type": "text"},
                    {"type": "text", "text": 5},
                    {"type": "text", "text": "ok", "marks": "bad"},
                    {"type": "text", "text": "!", "marks": [None, 1]},
                ],
            },
            {"type": "heading", "attrs": "nope", "content": [t("h")]},
            {"type": "orderedList", "attrs": {"order": "x"}, "content": [li(p(t("n")))]},
            {"type": "mention"},
            {"type": "emoji", "attrs": None},
        ],
    }
    assert adf_to_text(d) == "ok!\n\n# h\n\n1. n\n\n@unknown"


def test_pathological_depth_is_guarded() -> None:
    node: dict[str, Any] = p(t("leaf"))
    for _ in range(5000):
        node = {"type": "bulletList", "content": [li(node)]}
    out = adf_to_text(doc(node))
    assert "leaf" in out
    inline: dict[str, Any] = t("deep")
    for _ in range(5000):
        inline = {"type": "weirdInline", "content": [inline]}
    assert adf_to_text(doc(p(inline))) == "deep"


# --- markdown_to_adf ---------------------------------------------------------------------

ALLOWED_MARKS = {"strong", "code", "link", "em"}


def assert_valid_adf(node: Any) -> None:
    """Check the structural rules of the ADF subset markdown_to_adf emits."""
    assert node["type"] == "doc" and node["version"] == 1
    stack = list(node["content"])
    while stack:
        cur = stack.pop()
        kind = cur["type"]
        if kind == "text":
            assert isinstance(cur["text"], str) and cur["text"]
            for mark in cur.get("marks", []):
                assert mark["type"] in ALLOWED_MARKS
                if mark["type"] == "link":
                    assert mark["attrs"]["href"]
            continue
        if kind == "heading":
            assert 1 <= cur["attrs"]["level"] <= 6
        if kind in ("bulletList", "orderedList"):
            assert cur["content"] and all(c["type"] == "listItem" for c in cur["content"])
        if kind == "listItem":
            assert cur["content"][0]["type"] == "paragraph"
        if kind == "codeBlock":
            assert all(c["type"] == "text" and "marks" not in c for c in cur.get("content", []))
        stack.extend(cur.get("content", []))


COMMENT_MD = """## backlint: 2 findings

<!-- backlint:v1 digest=abc123 -->
- **missing-ac**: no `Acceptance criteria` section ([docs](https://bl.io/r/ac))
  - see https://bl.io/x.
- **vague**: title is *short*

Run `backlint check` again."""


def test_markdown_to_adf_exact_structure() -> None:
    adf = markdown_to_adf(COMMENT_MD)
    assert_valid_adf(adf)
    link = {"type": "link", "attrs": {"href": "https://bl.io/r/ac"}}
    assert adf["content"][:2] == [
        {"type": "heading", "attrs": {"level": 2}, "content": [t("backlint: 2 findings")]},
        p(t("backlint:v1 digest=abc123")),
    ]
    first = adf["content"][2]["content"][0]
    assert first["content"][0] == p(
        t("missing-ac", {"type": "strong"}),
        t(": no "),
        t("Acceptance criteria", {"type": "code"}),
        t(" section ("),
        t("docs", link),
        t(")"),
    )
    assert first["content"][1]["type"] == "bulletList"
    assert adf["content"][3] == p(t("Run "), t("backlint check", {"type": "code"}), t(" again."))


def test_markdown_to_adf_round_trip_keeps_marker_and_structure() -> None:
    text = adf_to_text(markdown_to_adf(COMMENT_MD))
    assert "backlint:v1 digest=abc123" in text
    assert text == (
        "## backlint: 2 findings\n\nbacklint:v1 digest=abc123\n\n"
        "- missing-ac: no `Acceptance criteria` section (docs (https://bl.io/r/ac))\n"
        "  - see https://bl.io/x.\n- vague: title is *short*\n\nRun `backlint check` again."
    )
    assert adf_to_text(json.loads(json.dumps(markdown_to_adf(COMMENT_MD)))) == text


def test_markdown_to_adf_other_blocks() -> None:
    adf = markdown_to_adf("1. a\n2. **b `c`**\n\n```py\nx = 1\n```\n---\n> q\n> r\nline1\nline2")
    assert_valid_adf(adf)
    assert [n["type"] for n in adf["content"]] == [
        "orderedList",
        "codeBlock",
        "rule",
        "blockquote",
        "paragraph",
    ]
    assert adf["content"][0]["content"][1]["content"][0]["content"] == [
        t("b ", {"type": "strong"}),
        t("c", {"type": "code"}),
    ]
    assert adf_to_text(adf) == (
        "1. a\n2. b `c`\n\n```py\nx = 1\n```\n\n---\n\n> q\n> r\n\nline1\nline2"
    )


@pytest.mark.parametrize("md", ["", "\n\n", "<!--  -->"])
def test_markdown_to_adf_empty(md: str) -> None:
    assert markdown_to_adf(md) == {"type": "doc", "version": 1, "content": []}


# --- real payload shapes (skipped when the shared corpora are absent) ------------------


@pytest.mark.skipif(not JIRA_CLI.is_dir(), reason="shared corpora not available")
def test_jira_cli_adf_payloads() -> None:
    full = adf_to_text(json.loads((JIRA_CLI / "adf-md.json").read_text(encoding="utf-8")))
    for line in (
        "# H1",
        "## H2",
        "> Blockquote text",
        "@Person A",
        "```go",
        "- Prefix: Unordered list item 1",
        "      - New level",
        "3. Ordered list item 3",
        "Table Header 1 | Table Header 2 | Table Header 3",
    ):
        assert line in full.split("\n") or line in full, line
    assert "Inline Node https://antiklabs.atlassian.net/" in full
    issue = json.loads((JIRA_CLI / "issue.json").read_text(encoding="utf-8"))
    assert adf_to_text(issue["fields"]["description"]) == "Test description"
    for path in JIRA_CLI.glob("*.json"):  # every description-like value renders
        data = json.loads(path.read_text(encoding="utf-8"))
        issues = data.get("issues", [data]) if isinstance(data, dict) else []
        for item in issues:
            fields = item.get("fields") if isinstance(item, dict) else None
            if isinstance(fields, dict):
                assert isinstance(adf_to_text(fields.get("description")), str)


def test_markdown_to_adf_keeps_escaped_text_literal() -> None:
    doc = markdown_to_adf("Quoted: \\[x\\](http://evil\\) \\*b\\* \\_i\\_ \\<b\\>\n<!-- a note -->")
    texts = [n for p in doc["content"] for n in p.get("content", [])]
    assert all("link" not in str(n.get("marks")) for n in texts if "x" in n["text"])
    joined = "".join(n["text"] for n in texts)
    assert "[x](http://evil)" in joined and "*b* _i_ <b>" in joined
    assert "\\" not in joined and "a note" not in joined
