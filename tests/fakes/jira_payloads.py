"""Payloads for the fake Jira: the custom fields each dialect's ``/field`` lists, and builders
for realistic issues (Cloud v3 with ADF descriptions, Data Center v2 with wiki markup)."""

from __future__ import annotations

from typing import Any

CLOUD_FIELDS = [
    {
        "id": "customfield_10016",
        "name": "Story point estimate",
        "custom": True,
        "schema": {
            "type": "number",
            "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
            "customId": 10016,
        },
    },
    {
        "id": "customfield_10020",
        "name": "Sprint",
        "custom": True,
        "schema": {
            "type": "array",
            "items": "json",
            "custom": "com.pyxis.greenhopper.jira:gh-sprint",
            "customId": 10020,
        },
    },
    {
        "id": "customfield_10014",
        "name": "Epic Link",
        "custom": True,
        "schema": {
            "type": "any",
            "custom": "com.pyxis.greenhopper.jira:gh-epic-link",
            "customId": 10014,
        },
    },
]
DC_FIELDS = [
    {
        "id": "customfield_10002",
        "name": "Story Points",
        "custom": True,
        "schema": {
            "type": "number",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
            "customId": 10002,
        },
    },
    {
        "id": "customfield_10008",
        "name": "Epic Link",
        "custom": True,
        "schema": {
            "type": "any",
            "custom": "com.pyxis.greenhopper.jira:gh-epic-link",
            "customId": 10008,
        },
    },
    {
        "id": "customfield_10009",
        "name": "Epic Name",
        "custom": True,
        "schema": {
            "type": "string",
            "custom": "com.pyxis.greenhopper.jira:gh-epic-label",
            "customId": 10009,
        },
    },
    {
        "id": "customfield_10007",
        "name": "Sprint",
        "custom": True,
        "schema": {
            "type": "array",
            "items": "string",
            "custom": "com.pyxis.greenhopper.jira:gh-sprint",
            "customId": 10007,
        },
    },
]
SYSTEM_FIELDS = [
    ("summary", "Summary", "string"),
    ("description", "Description", "string"),
    ("labels", "Labels", "array"),
    ("priority", "Priority", "priority"),
    ("status", "Status", "status"),
    ("issuetype", "Issue Type", "issuetype"),
    ("comment", "Comment", "comments-page"),
    ("parent", "Parent", "issuelink"),
]


def adf(*blocks: str) -> dict[str, Any]:
    """A small ADF document: ``## text`` is a heading, ``- a|b`` a bullet list, else a paragraph."""
    content: list[dict[str, Any]] = []
    for block in blocks:
        if block.startswith("## "):
            content.append(
                {
                    "type": "heading",
                    "attrs": {"level": 3},
                    "content": [{"type": "text", "text": block[3:]}],
                }
            )
        elif block.startswith("- "):
            content.append(
                {
                    "type": "bulletList",
                    "content": [
                        {
                            "type": "listItem",
                            "content": [
                                {"type": "paragraph", "content": [{"type": "text", "text": item}]}
                            ],
                        }
                        for item in block[2:].split("|")
                    ],
                }
            )
        else:
            content.append({"type": "paragraph", "content": [{"type": "text", "text": block}]})
    return {"type": "doc", "version": 1, "content": content}


def wiki(*blocks: str) -> str:
    """The same blocks as :func:`adf`, in Jira wiki markup."""
    lines = []
    for block in blocks:
        if block.startswith("## "):
            lines.append(f"h3. {block[3:]}")
        elif block.startswith("- "):
            lines += [f"* {item}" for item in block[2:].split("|")]
        else:
            lines.append(block)
        lines.append("")
    return "\n".join(lines).strip()


STATUSES = {
    "todo": ("To Do", 2, "new"),
    "in_progress": ("In Progress", 4, "indeterminate"),
    "done": ("Done", 3, "done"),
}


def make_issue(
    key: str,
    *,
    cloud: bool,
    summary: str,
    description: tuple[str, ...] = (),
    issuetype: str = "Story",
    status: str = "todo",
    priority: str | None = "Medium",
    labels: tuple[str, ...] = (),
    parent: str | None = "EPIC-1",
    number: int | None = None,
) -> dict[str, Any]:
    """A realistic issue object (Cloud v3 with ADF, or Data Center v2 with wiki markup)."""
    issue_id = str(number if number is not None else 10000 + int(key.rsplit("-", 1)[1]))
    status_name, category_id, category_key = STATUSES[status]
    fields: dict[str, Any] = {
        "summary": summary,
        "issuetype": {"id": "10001", "name": issuetype, "subtask": False},
        "status": {
            "name": status_name,
            "id": str(category_id),
            "statusCategory": {
                "id": category_id,
                "key": category_key,
                "name": status_name,
                "colorName": "blue-gray",
            },
        },
        "priority": {"name": priority, "id": "3"} if priority else None,
        "labels": list(labels),
        "assignee": None,
        "reporter": (
            {"accountId": "u-rita", "displayName": "Rita", "accountType": "atlassian"}
            if cloud
            else {"name": "rita", "key": "JIRAUSER2", "displayName": "Rita"}
        ),
        "created": "2026-11-02T09:00:00.000+0000",
        "updated": "2026-11-20T09:00:00.000+0000",
        "duedate": None,
        "issuelinks": [],
        "subtasks": [],
        "components": [],
        "fixVersions": [],
        "description": (adf(*description) if cloud else wiki(*description))
        if description
        else None,
    }
    if parent and cloud:
        fields["parent"] = {
            "id": "9000",
            "key": parent,
            "fields": {
                "summary": "Checkout conversion",
                "issuetype": {"name": "Epic"},
                "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
                "priority": {"name": "High"},
            },
        }
    elif parent:
        fields["customfield_10008"] = parent
    return {"id": issue_id, "key": key, "fields": fields}
