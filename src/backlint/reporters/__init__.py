"""Reporters: render a :class:`backlint.report.Report` in one format. They see findings only."""
