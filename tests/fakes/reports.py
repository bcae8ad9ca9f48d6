"""A fixed, varied report for reporter tests: every family, severities, priorities, ages,
labels, and hostile tracker text (script tags, mentions, formulas, Markdown, javascript: URLs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backlint.model import Finding, Severity
from backlint.report.report import Report, TicketSummary

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
RANKS = {"Highest": 0, "High": 1, "Medium": 2, "Low": 3, "Lowest": 4}

RULES = {
    "BL101": ("title-length", "clarity", Severity.WARNING),
    "BL102": ("vague-title", "clarity", Severity.WARNING),
    "BL201": ("missing-acceptance-criteria", "acceptance-criteria", Severity.ERROR),
    "BL202": ("untestable-criteria", "acceptance-criteria", Severity.WARNING),
    "BL301": ("no-objective-link", "objective-link", Severity.WARNING),
    "BL401": ("missing-priority", "priority", Severity.WARNING),
    "BL402": ("priority-inflation", "priority", Severity.INFO),
    "BL501": ("in-progress-without-assignee", "hygiene", Severity.WARNING),
    "BL502": ("stale-ticket", "hygiene", Severity.INFO),
    "BL601": ("near-duplicate", "duplicate", Severity.WARNING),
}

# key, title, kind, status, priority, labels, age in days, [(rule, message)]
TICKETS = [
    (
        "SHOP-201",
        "Customers can pay with a saved card",
        "story",
        "To Do",
        "High",
        ("payments",),
        12,
        [],
    ),
    (
        "SHOP-202",
        HOSTILE_TITLE,
        "story",
        "To Do",
        "Highest",
        ("security", "okr:conversion"),
        40,
        [
            ("BL201", "This story has no acceptance criteria."),
            ("BL102", 'The title says "<script>"; name the outcome.'),
        ],
    ),
    (
        "SHOP-203",
        "update",
        "story",
        "To Do",
        "Medium",
        (),
        3,
        [
            ("BL101", "The title has 1 word; say what and where in at least 3 words."),
            ("BL201", "This story has no acceptance criteria."),
            ("BL301", "Link this ticket to an epic or objective."),
        ],
    ),
    (
        "SHOP-204",
        '=HYPERLINK("http://evil.example","click")',
        "task",
        "In Progress",
        "Low",
        ("ops",),
        200,
        [("BL501", "This ticket is In Progress but nobody is assigned to it.")],
    ),
    (
        "SHOP-205",
        "Ping @octocat about #12 **now** | [x](javascript:alert(1))",
        "bug",
        "To Do",
        None,
        ("needs triage", "@team"),
        400,
        [
            ("BL401", "This bug has no priority; set one."),
            ("BL502", "No activity for 400 days; close it or bring it up to date."),
        ],
    ),
    (
        "SHOP-206",
        "Checkout page performance",
        "story",
        "To Do",
        "Highest",
        ("performance",),
        75,
        [
            ("BL202", 'Criterion "should work well" cannot be tested.'),
            ("BL402", "12 of 26 open tickets are Highest."),
        ],
    ),
    (
        "SHOP-207",
        "Épopée: paiement fractionné — 分割払い",
        "epic",
        "In Progress",
        "High",
        ("okr:conversion",),
        130,
        [],
    ),
    (
        "SHOP-208",
        "PayPal orders get no confirmation email",
        "bug",
        "To Do",
        "High",
        ("email",),
        20,
        [("BL601", "Looks like a duplicate of SHOP-209 (similarity 0.91).")],
    ),
    (
        "SHOP-209",
        "No confirmation email after paying with PayPal",
        "bug",
        "To Do",
        "High",
        ("email",),
        18,
        [("BL601", "Looks like a duplicate of SHOP-208 (similarity 0.91).")],
    ),
    (
        "SHOP-210",
        "Show trust badges under the Pay button",
        "story",
        "Done",
        "Lowest",
        (),
        800,
        [("BL301", "Link this ticket to an epic or objective.")],
    ),
    (
        "SHOP-211",
        "Retry declined card authorisations",
        "story",
        "In Progress",
        "Medium",
        ("payments",),
        9,
        [],
    ),
    (
        "SHOP-212",
        "Gift wrapping option",
        "feature",
        "To Do",
        "Low",
        (),
        1,
        [
            ("BL301", "Link this ticket to an epic or objective."),
            ("BL202", 'Criterion "fast enough" cannot be tested.'),
        ],
    ),
]


def sample_report(extra: dict | None = None) -> Report:
    """The sample report (same bytes every call)."""
    summaries, findings = [], []
    for key, title, kind, status, priority, labels, age, found in TICKETS:
        url = f"https://acme.atlassian.net/browse/{key}"
        if key == "SHOP-205":
            url = "javascript:alert(document.domain)"
        created = (NOW - timedelta(days=age)).isoformat()
        summaries.append(
            TicketSummary(
                key=key,
                title=title,
                url=url,
                kind=kind,
                status=status,
                status_category="done" if status == "Done" else "todo",
                priority=priority,
                priority_rank=RANKS.get(priority) if priority else None,
                labels=labels,
                created=created,
                updated=created,
            )
        )
        for code, message in found:
            name, family, severity = RULES[code]
            findings.append(Finding(key, code, name, family, severity, message, url))
    rules = {
        code: {"name": n, "family": f, "severity": s.value} for code, (n, f, s) in RULES.items()
    }
    return Report(
        source="jira:SHOP",
        generated_at=NOW,
        tickets=summaries,
        findings=sorted(findings),
        rules=rules,
        extra=extra or {},
    )


def sample_trend() -> dict:
    """A history section of four runs, with new, fixed and departed tickets."""
    runs = []
    for index, (day, score, count) in enumerate(
        [(1, 58, 24), (8, 63, 21), (15, 61, 22), (22, 66, 19)], start=1
    ):
        runs.append(
            {
                "id": index,
                "generated_at": f"2026-11-{day:02d}T12:00:00+00:00",
                "score": score,
                "families": {},
                "tickets": 12,
                "findings": count,
                "tickets_with_findings": 9,
                "errors": 3,
                "warnings": 12,
                "infos": 4,
            }
        )
    url = "https://acme.atlassian.net/browse/"
    return {
        "runs": runs,
        "current": 4,
        "previous": 3,
        "new": [
            {
                "key": "SHOP-212",
                "title": "Gift wrapping option",
                "url": url + "SHOP-212",
                "rules": ["BL202", "BL301"],
            },
            {
                "key": "SHOP-202",
                "title": HOSTILE_TITLE,
                "url": url + "SHOP-202",
                "rules": ["BL102"],
            },
        ],
        "fixed": [
            {
                "key": "SHOP-211",
                "title": "Retry declined card authorisations",
                "url": url + "SHOP-211",
                "rules": ["BL501"],
            }
        ],
        "left": [
            {"key": "SHOP-190", "title": "Old spike", "url": url + "SHOP-190", "rules": ["BL201"]}
        ],
    }
