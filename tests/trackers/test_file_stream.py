"""Export files read element by element: the same tickets as a file read whole, in less memory.

``JsonStream`` is driven here with chunks of a few bytes, so every value, key, number and
multi-byte character lands across a chunk boundary somewhere.
"""

from __future__ import annotations

import io
import json

import pytest

from backlint.config.config import Config, config_from_mapping
from backlint.engine.run import suppressed_codes
from backlint.errors import SourceError
from backlint.trackers.file_shapes import tickets_from_document
from backlint.trackers.file_stream import JsonStream, Unstreamable, without_lone_surrogates
from backlint.trackers.files import read_file, read_streamed

DOCUMENT = {
    "startAt": 0,
    "issues": [
        {"key": "A-1", "n": 12345678901234567890, "x": [1.5e10, True, None, "ünïcødé 🎉"]},
        {"key": "A-2", "text": 'a "quoted" ] } , string' * 20, "empty": {}},
        [],
        "\U0001f389 party \\u",
    ],
    "total": -7,
}


def stream(text: str | bytes, chunk: int = 3) -> JsonStream:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return JsonStream(io.BytesIO(data), chunk=chunk)


def read_whole(document_stream: JsonStream):
    """The document rebuilt through the stream's own structure methods."""
    if document_stream.peek() == "[":
        return list(document_stream.elements())
    if document_stream.peek() == "{":
        return {key: read_whole(document_stream) for key in document_stream.members()}
    return document_stream.value()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_a_document_read_in_chunks_is_the_document(chunk, indent):
    text = json.dumps(DOCUMENT, indent=indent, ensure_ascii=indent is None)
    cursor = stream(text, chunk)
    assert read_whole(cursor) == json.loads(text)
    cursor.end()


def test_a_number_cut_by_the_chunk_is_read_whole():
    cursor = stream("[1234567, 89]", chunk=4)
    assert list(cursor.elements()) == [1234567, 89]


def test_lone_surrogates_become_replacement_characters_keys_too():
    cursor = stream('{"\\udc00key": ["\\ud800 x", "\\ud83c\\udf89"]}')
    assert read_whole(cursor) == {"\ufffdkey": ["\ufffd x", "\U0001f389"]}


@pytest.mark.parametrize(
    "text",
    [
        b'[{"a": 1}, {"b": ',  # truncated
        b'[{"a": 1} {"b": 2}]',  # no comma
        b'{"a" 1}',
        b"{1: 2}",
        b"[1, 2]\n[3]",  # JSON Lines: more than one document
        b'["caf\xe9"]',  # not UTF-8
        b"[" * 100_000 + b"]" * 100_000,  # nested too deeply for the decoder
    ],
)
def test_what_is_not_one_utf8_json_document_is_unstreamable(text):
    cursor = stream(text, chunk=5)
    with pytest.raises(Unstreamable):
        read_whole(cursor)
        cursor.end()


def big_github_export(count: int) -> list[dict]:
    return [
        {
            "number": number,
            "title": f"Export report {number} as CSV",
            "body": f"As an admin I want export {number} so that finance can reconcile it.\n\n"
            + "## Acceptance criteria\n- [ ] a CSV file downloads\n" * 10,
            "html_url": f"https://github.com/acme/shop/issues/{number}",
            "url": f"https://api.github.com/repos/acme/shop/issues/{number}",
            "labels": [{"name": "bug", "color": "d73a4a"}],
            "user": {"login": "octocat", "type": "User", "avatar_url": "https://x/" * 100},
            "state": "closed" if number % 3 == 0 else "open",
            "state_reason": "not_planned" if number % 3 == 0 else None,
            "created_at": "2026-01-05T10:00:00Z",
        }
        for number in range(1, count + 1)
    ]


def whole(path, config=None):
    """The tickets as reading the file whole maps them."""
    document = without_lone_surrogates(json.loads(path.read_text(encoding="utf-8")))
    return list(tickets_from_document(document, config or Config(), str(path)))


def test_a_big_export_streamed_gives_the_tickets_read_whole(tmp_path):
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(big_github_export(800)), encoding="utf-8")
    assert path.stat().st_size > 1 << 20  # elements straddle the 1 MB reads
    streamed = read_streamed(path, Config())
    assert streamed is not None and len(streamed) == 800
    assert streamed == whole(path)


def test_a_mapped_ticket_keeps_only_the_payload_values_it_needs(tmp_path):
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(big_github_export(3)), encoding="utf-8")
    closed = read_streamed(path, Config())[2]
    assert dict(closed.raw) == {"state_reason": "not_planned"}
    assert "body_markup" not in closed.fields  # kept only when it mentions backlint


@pytest.mark.parametrize(
    "name",
    [
        "github-issues.json",
        "github-nulls.json",
        "github-one-bad.json",
        "github-lone-surrogate.json",
        "github-type-name-list.json",
        "jira-search-jql.json",
        "jira-search-v2.json",
    ],
)
def test_fixture_exports_streamed_match_the_whole_read(fixtures, name):
    path = fixtures / "files" / name
    streamed = read_streamed(path, Config())
    assert streamed is not None
    assert streamed == whole(path)
    assert [t.load_error for t in streamed] == [t.load_error for t in whole(path)]


def test_json_lines_of_arrays_give_each_ticket_once(tmp_path):
    issues = big_github_export(4)
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(issues[:2]) + "\n" + json.dumps(issues[2:]) + "\n")
    assert [t.key for t in read_file(path, Config())] == [f"acme/shop#{n}" for n in range(1, 5)]


def test_a_truncated_big_export_fails_in_one_line_with_no_ticket(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(big_github_export(500))[:-300])
    read = read_file(path, Config())
    with pytest.raises(SourceError, match="is the file truncated") as caught:
        next(read)
    assert "\n" not in str(caught.value)


def jira_search(names_first: bool) -> dict:
    issue = {
        "key": "OPS-7",
        "fields": {
            "summary": "Show refund status",
            "customfield_20001": 5,
            "customfield_10016": 1,
            "labels": ["backend"],
            "resolution": {"name": "Won't Do"},
            "status": {"name": "Done", "statusCategory": {"key": "done"}},
            "comment": {
                "total": 2,
                "comments": [
                    {"id": "1", "body": "A person's comment", "created": "2026-01-05T10:00:00Z"},
                    {"id": "2", "body": "{color:#97a0af}backlint:v1 digest=abcdefabcdef{color}"},
                ],
            },
        },
    }
    names = {"customfield_20001": "Story Points", "summary": "Summary"}
    if names_first:
        return {"names": names, "issues": [issue], "total": 1}
    return {"startAt": 0, "total": 1, "issues": [issue], "names": names}


@pytest.mark.parametrize("names_first", [True, False])
def test_jira_names_resolve_custom_fields_before_or_after_the_issues(tmp_path, names_first):
    path = tmp_path / "search.json"
    path.write_text(json.dumps(jira_search(names_first)))
    (ticket,) = read_file(path, Config())
    assert ticket.estimate == 5.0  # the field Jira names "Story Points", not the default id
    assert [ticket] == whole(path)


def test_a_jira_ticket_keeps_labels_resolution_custom_fields_and_marker_comments(tmp_path):
    path = tmp_path / "search.json"
    path.write_text(json.dumps(jira_search(True)))
    (ticket,) = read_file(path, config_from_mapping({}))
    kept = ticket.raw["fields"]
    assert kept["labels"] == ["backend"] and kept["resolution"] == {"name": "Won't Do"}
    assert kept["customfield_20001"] == 5 and "summary" not in kept
    assert kept["comment"] == {
        "total": 2,
        "comments": [
            {"id": "1"},
            {"id": "2", "body": "{color:#97a0af}backlint:v1 digest=abcdefabcdef{color}"},
        ],
    }


def test_a_body_with_a_suppression_comment_keeps_its_markup_for_the_engine(tmp_path):
    issues = big_github_export(2)
    issues[0]["body"] = "<!-- backlint: ignore BL201 -->\nAs a shopper I want to pay."
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(issues), encoding="utf-8")
    quiet, plain = read_file(path, Config())
    assert "backlint" not in quiet.body  # the comment never reaches the normalised body
    assert suppressed_codes(quiet) == {"BL201"}
    assert "body_markup" not in plain.fields and suppressed_codes(plain) is None
