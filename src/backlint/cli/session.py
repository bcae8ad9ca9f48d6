"""What every command of a run shares: the plugins (loaded once, lazily) and the config."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from backlint.config.config import Config, load_config
from backlint.errors import ConfigError
from backlint.plugins import Registry, extend_plugins, load_plugins


def parse_codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(code.strip() for code in value.split(",") if code.strip())


def parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--now: not an ISO date or time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Session:
    """What every command needs: the plugins (loaded once, lazily) and the config."""

    def __init__(self, plugins_dirs: Sequence[str]) -> None:
        self.plugins_dirs = plugins_dirs
        self._registry: Registry | None = None
        self._packs: tuple[str, ...] | None = None

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            if self._packs is None:  # rules/plugins commands: the team packs of the found config
                self._packs = load_config(None).packs
            loaded = take_preloaded()
            if loaded is None:
                self._registry = load_plugins(self.plugins_dirs, packs=self._packs)
            else:  # the plugins that added commands: extended, never loaded a second time
                self._registry = extend_plugins(loaded, self.plugins_dirs, self._packs)
        return self._registry

    def use_packs(self, packs: tuple[str, ...]) -> None:
        """The team pack files to load as plugins, when the config is not read here."""
        self._packs = packs

    def config(self, path: str | None, **overrides: Any) -> Config:
        config = load_config(path).with_overrides(**overrides)
        self._packs = config.packs  # the team pack files become plugins of this run
        return config


#: The registry loaded to add plugin commands (``main``); the run's Session extends it.
_preloaded: Registry | None = None


def preload(registry: Registry | None) -> None:
    """Hand the registry loaded for plugin commands to this run's Session."""
    global _preloaded
    _preloaded = registry


def take_preloaded() -> Registry | None:
    """The registry loaded to add plugin commands, once, if the environment still matches."""
    global _preloaded
    registry, _preloaded = _preloaded, None
    if registry is None or registry.environ_key != os.environ.get("BACKLINT_LOAD_PLUGINS"):
        return None
    return registry
