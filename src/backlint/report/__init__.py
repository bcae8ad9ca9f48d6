"""The report: findings and tickets, the health score, the digest the human-facing formats show,
and where a report is written.
"""
