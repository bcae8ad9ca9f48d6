"""Errors that end a run with exit status 2 and one line on stderr, never a traceback.

Every message names what is wrong and where (file, key, plugin, ticket); none ever carries a
token. Adapters raise :class:`TrackerError` or :class:`SourceError`; the CLI prints ``str(err)``.
"""

from __future__ import annotations


class BacklintError(Exception):
    """Base of all errors the CLI reports as ``backlint: <message>`` with exit status 2.

    The message is redacted when the error is made, so no secret can travel in one.
    """

    exit_code = 2

    def __init__(self, message: object = "") -> None:
        from backlint.redact import redact

        super().__init__(redact(str(message)))


class ConfigError(BacklintError):
    """A config file or option is invalid: unknown key, wrong type, unknown rule code."""


class PluginLoadError(BacklintError):
    """A plugin failed to import or registered something invalid; the message names it."""


class RuleContractError(PluginLoadError):
    """A rule broke its contract (returned a bool, yielded a number): a bug in the plugin, not
    in a ticket, so the run stops once with the rule named instead of a finding per ticket."""


class SourceError(BacklintError):
    """A SOURCE argument or export file cannot be read or is of an unknown shape."""


class TrackerError(BacklintError):
    """A tracker refused or failed a request (auth, not found, query error, network)."""
