"""The Jira tracker (Cloud and Data Center): client, mapping, responses and write-back."""
