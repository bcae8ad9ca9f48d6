"""Reporters: render a :class:`~backlint.report.report.Report` in one format.

They see findings only.
"""
