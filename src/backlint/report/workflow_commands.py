"""GitHub Actions workflow commands (``::error title=T::message``), escaped as ``@actions/core``
escapes them.

The ``github`` report format and the Action both print these lines. Every value that came from
a ticket goes through :func:`escape_data` or :func:`escape_property`, so an issue title can never
smuggle in a command of its own (a newline followed by ``::add-mask::`` would otherwise be read
as one).
"""

from __future__ import annotations

#: Severity → annotation command.
ANNOTATION_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as ``@actions/core`` does: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command's property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str = "", **properties: str) -> str:
    """One workflow-command line, e.g. ``::error title=T::message`` (no trailing newline)."""
    props = ",".join(
        f"{name}={escape_property(value)}" for name, value in properties.items() if value
    )
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(severity: str, message: str, title: str = "") -> str:
    """An error, warning or notice annotation for a backlint severity (info → notice)."""
    return workflow_command(ANNOTATION_LEVEL.get(severity, "notice"), message, title=title)
