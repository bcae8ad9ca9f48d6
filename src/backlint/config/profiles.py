"""Profiles: named config fragments a config builds on with ``extends = ["scrum"]``.

A profile is a TOML file with the same keys as ``.backlint.toml`` (it may itself extend others).
Shipped profiles live in ``rules/profiles`` (``backlint/_packs/profiles`` in the wheel); an
``extends`` entry that looks like a path (``./base.toml``) names a file relative to the file that
declares it. A config without ``extends`` builds on the ``default`` profile, which is what runs
with no config at all.

Merging, base first: tables merge key by key (the later file wins), ``packs``, ``ignore`` and
``extend-select`` accumulate, every other key is replaced. ``packs`` entries that are paths are
made absolute against the declaring file's folder, so the config can be read from anywhere.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from backlint.errors import ConfigError

DEFAULT_PROFILE = "default"
ACCUMULATE = ("packs", "ignore", "extend-select")

Validate = Callable[[Mapping[str, Any], str], None]


def shipped_root() -> Path:
    """The folder holding the shipped ``packs/`` and ``profiles/``.

    Inside an installed wheel that is ``backlint/_packs``; in a source checkout (or an editable
    install) it is the repository's top-level ``rules/`` folder.
    """
    packaged = resources.files("backlint").joinpath("_packs")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def shipped_profile_names() -> tuple[str, ...]:
    folder = shipped_root() / "profiles"
    return tuple(sorted(p.stem for p in folder.glob("*.toml"))) if folder.is_dir() else ()


def is_path(entry: str) -> bool:
    """True when an ``extends``/``packs`` entry is a file path rather than a shipped name."""
    return "/" in entry or "\\" in entry or entry.endswith(".toml")


def expand(data: Mapping[str, Any], path: Path | None, validate: Validate) -> dict[str, Any]:
    """The config ``data`` (read from ``path``) merged over every profile it extends."""
    where = str(path) if path else "config"
    data = _absolute_packs(data, path)
    extends = data.get("extends", [DEFAULT_PROFILE])
    return _merge_over(extends, data, path, validate, (where,))


def _merge_over(extends, data, path, validate, chain: tuple[str, ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in extends:
        merged = merge(merged, _profile(entry, path, validate, chain))
    result = merge(merged, {k: v for k, v in data.items() if k != "extends"})
    if "extends" in data:
        result["extends"] = list(data["extends"])
    return result


def _profile(entry: str, declared_in: Path | None, validate: Validate, chain: tuple[str, ...]):
    where = chain[-1]
    if is_path(entry):
        base = declared_in.parent if declared_in else Path.cwd()
        file = (base / entry).resolve()
        if not file.is_file():
            raise ConfigError(f"{where}: extends: profile file not found: {file}")
    else:
        file = shipped_root() / "profiles" / f"{entry}.toml"
        if not file.is_file():
            known = ", ".join(shipped_profile_names()) or "none"
            raise ConfigError(f"{where}: extends: unknown profile {entry!r} (profiles: {known})")
    label = str(file)
    if label in chain:
        raise ConfigError(f"{where}: extends: profile {entry!r} extends itself (via {label})")
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{file}: not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text (TOML files must be UTF-8)") from None
    validate(data, label)
    data = _absolute_packs(data, file)
    return _merge_over(data.get("extends", []), data, file, validate, (*chain, label))


def _absolute_packs(data: Mapping[str, Any], path: Path | None) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("packs"), list):
        base = path.parent if path else Path.cwd()
        data["packs"] = [
            str((base / p).resolve()) if isinstance(p, str) and is_path(p) else p
            for p in data["packs"]
        ]
    return data


def merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``: tables merge, ACCUMULATE lists concatenate, the rest is replaced."""
    result = dict(base)
    for key, value in top.items():
        if key in ACCUMULATE and isinstance(result.get(key), list):
            result[key] = list(dict.fromkeys([*result[key], *value]))
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result
