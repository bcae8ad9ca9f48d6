"""The commented starter config that ``backlint init`` writes."""

STARTER_CONFIG = """\
# backlint configuration. Every key is optional; `backlint rules` lists the rules.
# Command-line options win over this file, which wins over the defaults.

# A profile to build on: "default" (used when extends is absent), "scrum", "safe" or "kanban".
# extends = ["scrum"]
# Your own rule pack files (relative to this file); see docs/plugins.md.
# packs = ["./team-rules.toml"]

# Which rules run: codes (BL201), prefixes (BL2), names, families (clarity) or ALL.
select = ["ALL"]
ignore = []

# Exit with status 1 when a finding is at or above this severity: error, warning or info.
fail-on = "error"

# Tune one rule: its severity and its options (see `backlint rules CODE`).
# [rules.BL101]
# severity = "error"

[priority]
# Most urgent first. Jira priority names, Projects "Priority" values and labels map onto it.
scale = ["Highest", "High", "Medium", "Low", "Lowest"]

[objectives]
# Name your strategic objectives to require links to reach one of them.
# labels = ["okr:conversion"]
# keys = ["SHOP-1"]
# milestones = ["Q4 2026"]

[writeback]
# One comment per ticket, edited in place; "resolve" leaves a short note when all checks pass,
# "delete" removes the comment.
comment = true
labels = true
on-clean = "resolve"
# The comment asks only for what the ticket's author can give ("author"); triage gaps (priority,
# objective, estimate) become labels and report rows. "everyone" puts every finding in it.
comment-for = "author"
# info findings go to reports only; "info" puts them in comments too.
min-severity = "warning"
needs-work-label = "backlint:needs-work"

# [jira]
# url = "https://your-site.atlassian.net"
# [jira.fields]
# story_points = "customfield_10016"
"""
