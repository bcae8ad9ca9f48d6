"""Hypothesis strategies for the documents of export files: GitHub REST issues and webhook
payloads, Jira issues with ADF (Cloud v3) or wiki markup (v2) and Jira search pages, mostly well
formed but with any value anywhere replaced by any JSON value at times (:func:`odd`). Whole
files, configs and command lines are built from them in :mod:`fakes.fuzz_cases`.

Everything here is data: the strategies never import backlint.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# -- leaves ------------------------------------------------------------------------------------

SENTENCES = (
    "Add a refund button to the order history page",
    "As a shopper I want to save my card so that checkout is faster.",
    "Fix",
    "update",
    "Crash when the cart is empty",
    "backlint: ignore BL201",
    "<!-- backlint: ignore -->",
    "<!-- backlint -->\n<!-- backlint:v1 digest=abcdefabcdef -->",
    "Expected: a CSV file downloads. Actual: nothing happens.",
    "Given a cart\nWhen I pay\nThen I get a receipt",
)
MARKDOWN = (
    "## Acceptance criteria\n- [ ] a CSV file downloads\n- [x] it is logged",
    "1. Open Reports\n2. Click Export",
    "```python\nprint('x')\n```",
    "> quoted\n> > twice",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[link](javascript:alert(1)) ![img](x.png)",
    "<details><summary>x</summary>\n\nhidden\n</details>",
    "- a\n  - b\n    - c\n      - d",
    "h2. Acceptance criteria\n* one\n** two\n{code:java}\nx\n{code}\n{noformat}y{noformat}",
    "||a||b||\n|1|2|",
    "\u200b\ufeff\u202e tricky \u0000 bytes",
)
#: Characters that break encoders and parsers: lone surrogates, controls, RTL marks, astral.
ODD_CHARS = st.characters(
    codec=None, categories=("Cs", "Cc", "Cf", "Zs", "Lu", "Nd", "Po", "So")
)

texts = st.one_of(
    st.sampled_from(SENTENCES),
    st.text(max_size=40),
    st.text(ODD_CHARS, max_size=12),
)
bodies = st.one_of(
    texts,
    st.lists(st.sampled_from(SENTENCES + MARKDOWN), max_size=5).map("\n\n".join),
    st.integers(1, 60).map(lambda n: "> " * n + "deep quote"),
    st.integers(1, 60).map(lambda n: "".join("  " * i + "- item\n" for i in range(n))),
)
times = st.one_of(
    st.sampled_from(
        (
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:00:00",
            "2026-03-14T09:12:44.000+0000",
            "2026-03-14T09:12:44.000",
            "2026-03-14T09:12:44.000-0530",
            "2026-03-14",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00",
            "yesterday",
            "",
        )
    ),
    st.datetimes().map(lambda d: d.isoformat()),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
#: Any JSON value (NaN and infinities included: Python's json reads them).
any_json = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=6,
)


def odd(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly ``plausible``; now and then any JSON value at all."""
    return st.one_of(plausible, plausible, plausible, any_json)


repos = st.sampled_from(("acme/shop", "o/r", "a.b/c-d", "../x", "evil/elsewhere", "", "x"))
logins = odd(st.sampled_from(("mara", "octocat", "github-actions[bot]", "", "ana")))
users = odd(
    st.fixed_dictionaries(
        {"login": logins}, optional={"type": st.sampled_from(("User", "Bot")), "id": st.integers()}
    )
)

# -- GitHub ------------------------------------------------------------------------------------


def _api_url(repo: str, number: int) -> str:
    return f"https://api.github.com/repos/{repo}/issues/{number}"


LABELS = (
    "bug",
    "story",
    "P1",
    "P3",
    "priority: high",
    "okr:conversion",
    "backlint:needs-work",
    "backlint:ignore",
    "backlint:ignore:BL2",
    "type: feature",
)
github_labels = st.lists(
    odd(
        st.one_of(
            st.fixed_dictionaries({"name": odd(st.sampled_from(LABELS))}), st.sampled_from(LABELS)
        )
    ),
    max_size=5,
)
milestones = st.fixed_dictionaries(
    {"title": odd(texts)},
    optional={"state": odd(st.sampled_from(("open", "closed"))), "due_on": odd(times)},
)


@st.composite
def github_issues(draw: st.DrawFn) -> dict[str, Any]:
    """A REST issue object (also the ``issue`` of a webhook payload)."""
    number = draw(st.integers(1, 400))
    repo = draw(repos)
    issue: dict[str, Any] = {"number": draw(odd(st.just(number))), "title": draw(odd(texts))}
    optional = {
        "body": odd(st.one_of(st.none(), bodies)),
        "state": odd(st.sampled_from(("open", "closed"))),
        "state_reason": odd(st.sampled_from(("completed", "not_planned", "duplicate"))),
        "labels": odd(github_labels),
        "assignees": odd(st.lists(users, max_size=3)),
        "assignee": users,
        "user": users,
        "milestone": odd(st.one_of(st.none(), milestones)),
        "type": odd(st.one_of(st.none(), st.fixed_dictionaries({"name": odd(texts)}))),
        "created_at": odd(times),
        "updated_at": odd(times),
        "html_url": odd(st.just(f"https://github.com/{repo}/issues/{number}")),
        "url": odd(st.just(_api_url(repo, number))),
        "repository_url": odd(st.just(f"https://api.github.com/repos/{repo}")),
        "comments": odd(st.integers(0, 40)),
        "sub_issues_summary": odd(
            st.fixed_dictionaries({"total": odd(st.integers(0, 9)), "completed": st.integers(0, 9)})
        ),
        "parent_issue_url": odd(st.just(_api_url(repo, max(1, number - 1)))),
    }
    for key, strategy in optional.items():
        if draw(st.integers(0, 9)) < 7:
            issue[key] = draw(strategy)
    if draw(st.integers(0, 19)) == 0:
        issue["pull_request"] = {"url": _api_url(repo, number)}
    return issue


webhooks = st.fixed_dictionaries(
    {
        "action": odd(st.sampled_from(("opened", "edited", "labeled", "closed"))),
        "issue": github_issues(),
    },
    optional={
        "repository": odd(st.fixed_dictionaries({"full_name": odd(repos)})),
        "sender": users,
        "label": odd(st.fixed_dictionaries({"name": odd(texts)})),
    },
)

# -- Jira --------------------------------------------------------------------------------------

ADF_TYPES = (
    "paragraph", "heading", "bulletList", "orderedList", "listItem", "taskList", "taskItem",
    "codeBlock", "blockquote", "panel", "table", "tableRow", "tableCell", "tableHeader", "rule",
    "hardBreak", "mention", "emoji", "inlineCard", "mediaSingle", "media", "expand", "status",
    "date", "decisionList", "decisionItem", "text", "unknownNode",
)
adf_marks = st.lists(
    odd(
        st.fixed_dictionaries(
            {"type": st.sampled_from(("strong", "em", "code", "link", "strike"))},
            optional={"attrs": odd(st.fixed_dictionaries({"href": odd(texts)}))},
        )
    ),
    max_size=2,
)


def _adf_node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return odd(
        st.fixed_dictionaries(
            {"type": odd(st.sampled_from(ADF_TYPES))},
            optional={
                "content": odd(st.lists(children, max_size=4)),
                "text": odd(texts),
                "marks": adf_marks,
                "attrs": odd(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "level": odd(st.integers(0, 7)),
                            "state": odd(st.sampled_from(("TODO", "DONE"))),
                            "language": odd(texts),
                            "text": odd(texts),
                            "timestamp": odd(st.text(max_size=14)),
                            "url": odd(texts),
                            "order": odd(st.integers(-3, 99)),
                        },
                    )
                ),
            },
        )
    )


adf_nodes = st.recursive(
    st.fixed_dictionaries({"type": st.just("text"), "text": texts}), _adf_node, max_leaves=14
)
adf_docs = odd(
    st.fixed_dictionaries(
        {"type": odd(st.just("doc")), "content": odd(st.lists(adf_nodes, max_size=4))},
        optional={"version": st.just(1)},
    )
)
jira_keys = st.one_of(
    st.builds(lambda n: f"PAY-{n}", st.integers(1, 300)), st.sampled_from(("", " ", "A-1", "x"))
)
people = odd(
    st.fixed_dictionaries(
        {},
        optional={
            "accountId": odd(texts),
            "displayName": odd(texts),
            "name": odd(texts),
            "accountType": odd(st.sampled_from(("atlassian", "app"))),
        },
    )
)
status_categories = st.sampled_from(("new", "indeterminate", "done", "undefined", "odd"))
statuses = odd(
    st.fixed_dictionaries(
        {"name": odd(texts)},
        optional={"statusCategory": odd(st.fixed_dictionaries({"key": odd(status_categories)}))},
    )
)
linked_issues = odd(
    st.fixed_dictionaries(
        {"key": odd(jira_keys)},
        optional={
            "fields": odd(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "summary": odd(texts),
                        "status": statuses,
                        "issuetype": odd(st.fixed_dictionaries({"name": odd(texts)})),
                        "priority": odd(st.fixed_dictionaries({"name": odd(texts)})),
                    },
                )
            )
        },
    )
)
sprints = odd(
    st.lists(
        st.one_of(
            st.fixed_dictionaries({"name": odd(texts), "state": odd(st.just("active"))}),
            st.just("com.atlassian.greenhopper.service.sprint.Sprint@1[id=1,state=ACTIVE,name=S1]"),
        ),
        max_size=3,
    )
)


def jira_issues(description: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A Jira issue with ``description`` as ADF (Cloud v3) or wiki markup (v2)."""
    comments = st.lists(
        odd(
            st.fixed_dictionaries(
                {"body": odd(description)},
                optional={"author": people, "created": odd(times), "updated": odd(times)},
            )
        ),
        max_size=3,
    )
    fields = st.fixed_dictionaries(
        {"summary": odd(texts)},
        optional={
            "description": odd(description),
            "issuetype": odd(st.fixed_dictionaries({"name": odd(st.sampled_from(
                ("Story", "Bug", "Task", "Epic", "Sub-task", "Initiative", "")
            ))})),
            "status": statuses,
            "priority": odd(st.fixed_dictionaries({"name": odd(texts)})),
            "labels": odd(st.lists(odd(texts), max_size=4)),
            "assignee": people,
            "reporter": people,
            "created": odd(times),
            "updated": odd(times),
            "duedate": odd(times),
            "parent": linked_issues,
            "issuelinks": odd(
                st.lists(
                    odd(
                        st.fixed_dictionaries(
                            {
                                "type": odd(
                                    st.fixed_dictionaries(
                                        {"name": odd(texts), "inward": odd(texts),
                                         "outward": odd(texts)}
                                    )
                                ),
                            },
                            optional={"outwardIssue": linked_issues, "inwardIssue": linked_issues},
                        )
                    ),
                    max_size=3,
                )
            ),
            "subtasks": odd(st.lists(linked_issues, max_size=3)),
            "components": odd(st.lists(odd(st.fixed_dictionaries({"name": odd(texts)})))),
            "fixVersions": odd(st.lists(odd(st.fixed_dictionaries({"name": odd(texts)})))),
            "comment": odd(
                st.fixed_dictionaries(
                    {"comments": odd(comments)}, optional={"total": odd(st.integers(0, 9))}
                )
            ),
            "customfield_10016": odd(st.one_of(st.integers(0, 13), st.floats())),
            "customfield_10014": odd(jira_keys),
            "customfield_10020": sprints,
            "customfield_10600": odd(description),
        },
    )
    return odd(
        st.fixed_dictionaries(
            {"key": odd(jira_keys), "fields": odd(fields)},
            optional={"self": odd(st.just("https://acme.atlassian.net/rest/api/3/issue/1"))},
        )
    )


wiki_text = st.one_of(bodies, st.sampled_from(MARKDOWN))
names = odd(
    st.dictionaries(
        st.sampled_from(("customfield_10016", "customfield_10600", "customfield_10014")),
        odd(st.sampled_from(("Story Points", "Acceptance Criteria", "Epic Link", "Sprint"))),
        max_size=3,
    )
)
jira_v2_searches = st.fixed_dictionaries(
    {"issues": odd(st.lists(jira_issues(wiki_text), max_size=4))},
    optional={
        "startAt": odd(st.just(0)),
        "total": odd(st.integers(0, 9)),
        "maxResults": st.just(50),
        "names": names,
    },
)
jira_v3_searches = st.fixed_dictionaries(
    {"issues": odd(st.lists(jira_issues(adf_docs), max_size=4))},
    optional={"isLast": odd(st.booleans()), "nextPageToken": odd(texts), "names": names},
)
