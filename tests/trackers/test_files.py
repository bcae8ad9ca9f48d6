"""The export-file source: every shape it detects, and every bad input it refuses."""

from __future__ import annotations

import json

import pytest

from backlint.config.config import Config
from backlint.errors import SourceError
from backlint.trackers.base import FetchOptions
from backlint.trackers.files import FileTracker, detect_shape, read_file


def tickets(path):
    return list(read_file(path, Config()))


def test_github_rest_array_skips_pull_requests(fixtures):
    found = tickets(fixtures / "files" / "github-issues.json")
    assert [t.key for t in found] == ["acme/shop#1", "acme/shop#2"]
    first = found[0]
    assert first.tracker == "github"
    assert first.url == "https://github.com/acme/shop/issues/1"
    assert first.labels == ("story", "P2", "okr:conversion")
    assert "## Acceptance criteria" in first.body
    assert "- [ ] The CVC is still asked for" in first.body


def test_github_webhook_payload_takes_repo_from_repository(fixtures):
    (ticket,) = tickets(fixtures / "files" / "github-webhook.json")
    assert ticket.key == "acme/shop#2"
    assert ticket.title == "Fix"
    assert ticket.body == ""


@pytest.mark.parametrize(
    "name", ["issues.opened.payload.json", "issues.opened.with-empty-body.payload.json"]
)
def test_real_webhook_payloads(corpora, name):
    path = corpora / "github-webhook-issues" / name
    if not path.exists():
        pytest.skip("shared corpora not available")
    (ticket,) = tickets(path)
    assert ticket.key == "Codertocat/Hello-World#1"
    assert ticket.labels == ("bug",)


def test_jira_cloud_search_jql_with_adf(fixtures):
    first, second = tickets(fixtures / "files" / "jira-search-jql.json")
    assert first.key == "PAY-1"
    assert first.url == "https://acme.atlassian.net/browse/PAY-1"
    assert first.parent == "PAY-0"
    assert first.fields["parent_link"].kind == "Epic"
    assert "## Acceptance criteria" in first.body
    assert "- [ ] A failed refund is retried 3 times" in first.body
    assert "- [x] Each retry is logged" in first.body
    assert second.priority is None and second.body == ""


def test_jira_v2_search_with_wiki_markup_and_custom_fields(fixtures):
    first, second = tickets(fixtures / "files" / "jira-search-v2.json")
    assert first.parent == "OPS-1"  # epic link custom field
    assert first.estimate == 3.0
    assert "## Acceptance criteria" in first.body
    assert "- Status shows pending, done or failed" in first.body
    assert "```java" in first.body and "h2." not in first.body
    assert second.priority.name == "Minor"


def test_single_jira_issue(fixtures):
    (ticket,) = tickets(fixtures / "files" / "jira-issue.json")
    assert ticket.key == "PAY-1"


def test_json_lines_of_mixed_shapes(fixtures):
    keys = [t.key for t in tickets(fixtures / "files" / "mixed.jsonl")]
    assert keys == ["acme/shop#1", "PAY-2"]


def test_null_title_body_and_labels_are_read_as_empty(fixtures):
    null, ok = tickets(fixtures / "files" / "github-nulls.json")
    assert (null.title, null.body, null.labels) == ("", "", ())
    assert ok.title.startswith("Add a refund")


def test_one_bad_ticket_is_marked_and_the_rest_read(fixtures):
    good, bad = tickets(fixtures / "files" / "github-one-bad.json")
    assert good.key == "acme/shop#1" and good.load_error is None
    assert bad.key == "entry 2"
    assert "could not read this ticket" in bad.load_error


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.json", "no such file"),
        ("not-json.txt", "neither JSON nor JSON Lines"),
        ("unknown-shape.json", "unknown JSON shape"),
        ("truncated.json", "is the file truncated?"),
    ],
)
def test_bad_files_raise_one_line_source_errors(fixtures, name, message):
    with pytest.raises(SourceError) as caught:
        tickets(fixtures / "files" / name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("  \n")
    with pytest.raises(SourceError, match="the file is empty"):
        tickets(path)


def test_empty_array_has_no_tickets(tmp_path):
    path = tmp_path / "none.json"
    path.write_text("[]")
    assert tickets(path) == []


@pytest.mark.parametrize(
    ("document", "shape"),
    [
        ([{"number": 1, "title": "x"}], "github-issues"),
        ({"action": "opened", "issue": {"number": 1}}, "github-webhook"),
        ({"startAt": 0, "total": 0, "issues": []}, "jira-search"),
        ({"issues": [], "isLast": True}, "jira-search"),
        ({"key": "A-1", "fields": {}}, "jira-issue"),
        ([{"key": "A-1", "fields": {}}], "jira-issues"),
        ({"number": 3, "title": "x"}, "github-issue"),
        ("text", None),
        ([1, 2], None),
    ],
)
def test_detect_shape(document, shape):
    assert detect_shape(document) == shape


def test_connection_limit_and_fetch_one(fixtures, tmp_path):
    path = fixtures / "files" / "jira-search-jql.json"
    connection = FileTracker().open(str(path), Config())
    assert [t.key for t in connection.fetch(FetchOptions(limit=1))] == ["PAY-1"]
    assert connection.fetch_one(f"{path}::PAY-2").key == "PAY-2"
    with pytest.raises(SourceError, match="holds 2 tickets"):
        connection.fetch_one(str(path))
    single = tmp_path / "one.json"
    single.write_text(json.dumps(json.loads(path.read_text())["issues"][0]))
    assert FileTracker().open(str(single), Config()).fetch_one(str(single)).key == "PAY-1"


def test_file_tracker_claims_paths_not_schemes():
    tracker = FileTracker()
    assert tracker.claims("backlog.json")
    assert tracker.claims("./exports/jira.json")
    assert not tracker.claims("github:acme/shop")
    assert not tracker.claims("jira:PAY")


def test_a_folder_reads_every_export_file_in_it(tmp_path, fixtures):
    for name in ("github-issues.json", "jira-search-v2.json"):
        (tmp_path / name).write_text((fixtures / "files" / name).read_text())
    (tmp_path / "notes.md").write_text("not an export")
    assert [t.key for t in tickets(tmp_path)] == ["acme/shop#1", "acme/shop#2", "OPS-7", "OPS-8"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl export files"):
        tickets(tmp_path / "empty")


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", 5), ("title", ["a"]), ("labels", "bug"), ("state", 1), ("number", True)],
)
def test_wrong_field_types_make_the_ticket_unreadable_not_the_run(tmp_path, field, value):
    good = {"number": 1, "title": "Add a refund button to order history", "body": "text"}
    odd = {**good, "number": 2, field: value}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps([good, odd]))
    first, second = tickets(path)
    assert first.load_error is None
    assert second.load_error


def test_jira_fields_of_the_wrong_type_are_read_as_empty(tmp_path):
    issue = {
        "key": "A-1",
        "fields": {"summary": 5, "description": 7, "labels": "abc", "priority": 3},
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(issue))
    (ticket,) = tickets(path)
    assert ticket.title == "5" and ticket.body == "" and ticket.labels == ()


def test_a_non_web_html_url_is_not_kept(tmp_path):
    issue = {
        "number": 1,
        "title": "Add a refund button",
        "html_url": "javascript:alert(1)",
        "repository_url": "https://api.github.com/repos/acme/shop",
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps([issue]))
    (ticket,) = tickets(path)
    assert ticket.url == "" and ticket.key == "acme/shop#1"


# -- malformed tickets and files (issue 14): never the whole run ------------------------------


def test_a_webhook_whose_repository_is_not_an_object_is_still_read(fixtures):
    (ticket,) = tickets(fixtures / "files" / "github-webhook-odd-repository.json")
    assert ticket.key == "acme/shop#2" and ticket.load_error is None


def test_a_type_name_that_is_a_list_makes_that_ticket_unreadable_only(fixtures):
    first, odd, last = tickets(fixtures / "files" / "github-type-name-list.json")
    assert first.load_error is None and last.load_error is None
    assert odd.key == "acme/shop#3"
    assert odd.load_error == "could not read this ticket: type.name is a list, not text"


def test_lone_surrogates_become_replacement_characters(fixtures):
    (ticket,) = tickets(fixtures / "files" / "github-lone-surrogate.json")
    assert ticket.title == "Refund \ufffd button on the order page"
    assert ticket.labels == ("bug\ufffd",)
    assert "\ufffd" in ticket.body
    ticket.title.encode("utf-8")  # any report can write it


def test_json_nested_too_deeply_is_one_line_not_a_recursion_error(fixtures):
    with pytest.raises(SourceError) as caught:
        tickets(fixtures / "files" / "nested-too-deep.json")
    assert str(caught.value).endswith("nested-too-deep.json: JSON nested too deeply to read")


def test_json_lines_nested_too_deeply_is_one_line_too(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"number": 1, "title": "x"}\n' + "[" * 1200 + "]" * 1200 + "\n")
    with pytest.raises(SourceError, match="nested too deeply"):
        tickets(path)


def test_a_number_too_long_for_python_is_a_parse_error(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('[{"number": ' + "9" * 5000 + ', "title": "x"}]')
    with pytest.raises(SourceError, match="not valid JSON"):
        tickets(path)


def test_deep_adf_that_parses_is_read(tmp_path):
    paragraph = '{"type": "paragraph", "content": ['
    deep = paragraph * 400 + '{"type": "text", "text": "Refunds"}' + "]}" * 400
    path = tmp_path / "x.json"
    path.write_text(
        '{"issues": [{"key": "A-2", "fields": {"summary": "Refund button"}},'
        f'{{"key": "A-1", "fields": {{"description": {{"type": "doc", "content": [{deep}]}}}}}}]}}'
    )
    good, deep_one = tickets(path)
    assert good.load_error is None and deep_one.load_error is None
    assert "Refunds" in deep_one.body


def test_times_without_an_offset_are_read_as_utc(fixtures):
    (ticket,) = tickets(fixtures / "files" / "jira-naive-times.json")
    assert ticket.created.isoformat() == "2026-03-14T09:12:44+00:00"
    assert [a.at.tzinfo is not None for a in ticket.activity] == [True]
    assert ticket.created < ticket.updated  # naive and aware times meet without a TypeError


def test_wrong_shapes_inside_a_jira_issue_are_read_as_absent(tmp_path):
    issue = {
        "key": "A-1",
        "fields": {
            "summary": "Show the refund state",
            "comment": ["not", "an", "object"],
            "subtasks": 5,
            "issuelinks": ["x", {"type": {}, "outwardIssue": {"key": "A-2", "fields": []}}],
            "parent": {"key": "A-0", "fields": "odd"},
            "components": {"name": "web"},
            "fixVersions": "1.0",
            "customfield_10016": 1e999,
        },
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(issue).replace("Infinity", "1e999"))
    (ticket,) = tickets(path)
    assert ticket.load_error is None
    assert ticket.parent == "A-0" and [link.key for link in ticket.links] == ["A-2"]
    assert ticket.estimate is None and ticket.components == () and ticket.activity == ()


# -- guidance (issue 16): a file backlint cannot use says what it can use ----------------------


def connection_for(path):
    return FileTracker().open(str(path), Config())


def test_an_unknown_key_shows_how_the_files_keys_are_written(fixtures):
    path = fixtures / "files" / "github-issues.json"
    with pytest.raises(SourceError) as caught:
        connection_for(path).fetch_one(f"{path}::119")
    assert str(caught.value) == (
        f"{path}: no ticket '119' in the file; keys look like acme/shop#1: {path}::acme/shop#1"
    )


def test_an_unknown_key_shows_each_key_format_of_a_mixed_file(fixtures):
    path = fixtures / "files" / "mixed.jsonl"
    with pytest.raises(SourceError) as caught:
        connection_for(path).fetch_one(f"{path}::SHOP-12")
    assert "keys look like acme/shop#1 or PAY-2" in str(caught.value)


@pytest.mark.parametrize(("asked", "meant"), [("2", "acme/shop#2"), ("#2", "acme/shop#2")])
def test_a_key_without_its_repository_is_answered_with_the_full_key(fixtures, asked, meant):
    path = fixtures / "files" / "github-issues.json"
    with pytest.raises(SourceError) as caught:
        connection_for(path).fetch_one(f"{path}::{asked}")
    assert str(caught.value) == (
        f"{path}: no ticket {asked!r} in the file; did you mean {path}::{meant}?"
    )


def test_a_key_in_the_wrong_case_is_answered_with_the_right_one(fixtures):
    path = fixtures / "files" / "jira-search-jql.json"
    with pytest.raises(SourceError, match=r"did you mean .*::PAY-2\?$"):
        connection_for(path).fetch_one(f"{path}::pay-2")


def test_an_unnamed_ticket_in_a_file_of_several_is_shown_how_to_name_one(fixtures):
    path = fixtures / "files" / "jira-search-jql.json"
    with pytest.raises(SourceError) as caught:
        connection_for(path).fetch_one(str(path))
    assert str(caught.value) == f"{path}: holds 2 tickets; name one as {path}::PAY-1"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("jira-export.csv", "a CSV file; backlint reads CSV with the backlint-csv plugin"),
        ("not-json.txt", "neither JSON nor JSON Lines; it looks like CSV"),
        ("jira-export.xlsx", "an Excel workbook"),
        ("jira-export.xml", "an XML export"),
        ("jira-export.html", "an HTML page"),
    ],
)
def test_a_known_export_format_names_the_csv_plugin_and_what_is_read(fixtures, name, says):
    with pytest.raises(SourceError) as caught:
        tickets(fixtures / "files" / name)
    message = str(caught.value)
    assert message.startswith(f"{fixtures / 'files' / name}: {says}")
    assert "pip install ./plugins/backlint-csv" in message
    assert "JSON" in message and "\n" not in message


def test_csv_content_under_another_name_is_pointed_at_the_csv_scheme(fixtures):
    path = fixtures / "files" / "not-json.txt"
    with pytest.raises(SourceError, match=f"backlint audit csv:{path} reads it"):
        tickets(path)


def test_a_folder_of_csv_files_names_the_plugin(tmp_path, fixtures):
    (tmp_path / "a.csv").write_text((fixtures / "files" / "jira-export.csv").read_text())
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl export files; .*backlint-csv"):
        tickets(tmp_path)


def test_a_binary_file_is_one_clear_line(fixtures):
    path = fixtures / "files" / "binary.json"
    with pytest.raises(SourceError) as caught:
        tickets(path)
    assert str(caught.value).startswith(
        f"{path}: not a text file (binary data); backlint reads JSON exports"
    )
    assert "codec" not in str(caught.value)


def test_text_that_is_not_utf8_is_one_clear_line(fixtures):
    path = fixtures / "files" / "windows-1252.json"
    with pytest.raises(SourceError) as caught:
        tickets(path)
    assert str(caught.value).startswith(
        f"{path}: not UTF-8 text (byte 0xe9 on line 1); backlint reads JSON exports in UTF-8"
    )
    assert "codec" not in str(caught.value)


def test_utf16_with_a_byte_order_mark_is_read(fixtures):
    (ticket,) = tickets(fixtures / "files" / "utf-16.json")
    assert ticket.title == "Caf\u00e9 menu shows the wrong price \u2013 fix"


def test_an_unreadable_file_in_a_folder_is_a_load_error_and_the_rest_is_read(tmp_path, fixtures):
    good = fixtures / "files" / "github-issues.json"
    (tmp_path / "a.json").write_text(good.read_text())
    (tmp_path / "b.json").write_bytes((fixtures / "files" / "binary.json").read_bytes())
    (tmp_path / "c.json").write_text("[{")
    (tmp_path / "d.jsonl").write_text(good.read_text())
    found = tickets(tmp_path)
    assert [t.key for t in found] == [
        "acme/shop#1",
        "acme/shop#2",
        str(tmp_path / "b.json"),
        str(tmp_path / "c.json"),
        "acme/shop#1",
        "acme/shop#2",
    ]
    binary, broken = found[2], found[3]
    assert binary.load_error.startswith("could not read this file: not a text file (binary data)")
    assert broken.load_error.startswith("could not read this file: not valid JSON")
    assert str(tmp_path) not in binary.load_error  # the key names the file already


def test_a_folder_where_no_file_can_be_read_is_one_line(tmp_path, fixtures):
    (tmp_path / "b.json").write_bytes((fixtures / "files" / "binary.json").read_bytes())
    (tmp_path / "c.json").write_text("[{")
    with pytest.raises(SourceError) as caught:
        tickets(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: none of its 2 export files could be read ({tmp_path / 'b.json'}: not a "
        "text file (binary data); backlint reads JSON exports (GitHub issues or a webhook "
        "payload, Jira search results or issues) and JSON Lines of them)"
    )
