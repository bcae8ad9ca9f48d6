"""Plugin discovery and registration.

Nothing loads at import: :func:`load_plugins` builds a fresh plugin manager per run (and per
test). It registers backlint's own default plugins, then entry points in group ``backlint``
(restricted by ``BACKLINT_LOAD_PLUGINS``: a comma-separated list of entry-point or distribution
names; empty loads none), then every ``*.py`` in each ``--plugins-dir``, then each team pack
file the config names (``packs = ["./team-rules.toml"]``). It then calls each
registration hook plugin by plugin, so every rule, tracker and reporter is known with the plugin
that gave it, and a failure names that plugin. ``BACKLINT_TRACE_PLUGINS=1`` prints every hook call
to stderr.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from backlint import hookspecs
from backlint.config.profiles import is_path
from backlint.engine.rule import Rule, validate_rule
from backlint.errors import PluginLoadError
from backlint.model import FAMILIES
from backlint.packs.loading import PackError, PackFilePlugin

ENTRY_POINT_GROUP = "backlint"

#: backlint's own features, registered through the same hooks as third-party plugins.
DEFAULT_PLUGINS = (
    "backlint.rules.clarity.title_body",
    "backlint.rules.clarity.wording",
    "backlint.rules.clarity.template",
    "backlint.rules.clarity.stories",
    "backlint.rules.clarity.bugs",
    "backlint.rules.acceptance.criteria",
    "backlint.rules.acceptance.gherkin",
    "backlint.rules.objectives",
    "backlint.rules.priority.consistency",
    "backlint.rules.priority.urgency",
    "backlint.rules.hygiene.ownership",
    "backlint.rules.hygiene.staleness",
    "backlint.rules.hygiene.readiness",
    "backlint.rules.duplicates.near_duplicate",
    "backlint.packs.loading",
    "backlint.trackers.github.tracker",
    "backlint.trackers.jira.tracker",
    "backlint.trackers.files",
    "backlint.reporters.text",
    "backlint.reporters.json",
    "backlint.reporters.markdown",
    "backlint.reporters.csv",
    "backlint.reporters.html.page",
    "backlint.reporters.github",
    "backlint.cli.report_command",
    "backlint.cli.merge_command",
    "backlint.action.command",
)


@dataclass
class PluginInfo:
    """Where a plugin came from and what it registered (for ``backlint plugins``)."""

    name: str
    source: str
    version: str = ""
    registered: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything the plugins registered, keyed for lookup."""

    rules: dict[str, Rule] = field(default_factory=dict)
    rule_origin: dict[str, str] = field(default_factory=dict)
    trackers: list[Any] = field(default_factory=list)
    builtin_trackers: list[Any] = field(default_factory=list)
    reporters: dict[str, Callable[..., None]] = field(default_factory=dict)
    reporter_origin: dict[str, str] = field(default_factory=dict)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    manager: pluggy.PluginManager | None = None
    #: ``BACKLINT_LOAD_PLUGINS`` as it was when the entry points were loaded.
    environ_key: str | None = None

    def tracker_for(self, source: str) -> Any | None:
        """The first tracker that claims SOURCE; plugins' are asked before the built-ins, so a
        plugin can claim a scheme (or file type) of its own."""
        builtin = {id(t) for t in self.builtin_trackers}
        ordered = sorted(self.trackers, key=lambda t: id(t) in builtin)
        for tracker in ordered:
            if tracker.claims(source):
                return tracker
        return None


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("backlint")
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    plugins_dirs: Iterable[str | Path] = (),
    environ: Mapping[str, str] | None = None,
    extra: Iterable[tuple[str, object]] = (),
    packs: Iterable[str | Path] = (),
) -> Registry:
    """Build a plugin manager and a Registry of what every plugin registered.

    ``packs`` are team pack files (paths; shipped pack names are ignored here, the built-in
    ``backlint.packs.loading`` plugin registers those).
    ``extra`` registers ready-made plugin objects
    (name, module or object), mainly for tests.
    Raises PluginLoadError naming the plugin on any failure.
    """
    environ = os.environ if environ is None else environ
    manager = new_manager()
    registry = Registry(manager=manager, environ_key=environ.get("BACKLINT_LOAD_PLUGINS"))
    if environ.get("BACKLINT_TRACE_PLUGINS"):
        _trace(manager)
    for module_name in DEFAULT_PLUGINS:
        _register(registry, _import(module_name, module_name), module_name, "built-in")
    for name, plugin, source, version in _entry_point_plugins(environ):
        _register(registry, plugin, name, source, version)
    for name, plugin in extra:
        _register(registry, plugin, name, "test")
    _collect(registry)
    return extend_plugins(registry, plugins_dirs, packs)


def extend_plugins(
    registry: Registry, plugins_dirs: Iterable[str | Path] = (), packs: Iterable[str | Path] = ()
) -> Registry:
    """Add ``--plugins-dir`` modules and team pack files to a registry already loaded.

    Only the new plugins' hooks are called, so a run never loads a plugin twice.
    """
    added = []
    for folder in plugins_dirs:
        for name, plugin, source in _directory_plugins(Path(folder)):
            _register(registry, plugin, name, source)
            added.append(name)
    for pack in packs:
        if is_path(str(pack)):
            path = Path(pack)
            name = f"pack:{path.name}"
            name = f"pack:{path}" if name in registry.plugins else name
            _register(registry, PackFilePlugin(path), name, f"pack file {path}")
            added.append(name)
    if added:
        _collect(registry, only=added)
    return registry


def _import(module_name: str, plugin: str) -> object:
    try:
        return importlib.import_module(module_name)
    except Exception as err:  # any import failure must name the plugin, not crash
        raise PluginLoadError(f"plugin {plugin!r} failed to load: {_reason(err)}") from None


def _entry_point_plugins(environ: Mapping[str, str]):
    wanted = environ.get("BACKLINT_LOAD_PLUGINS")
    allowed = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry.dist
        dist_name = dist.name if dist else ""
        if allowed is not None and entry.name not in allowed and dist_name not in allowed:
            continue
        try:
            plugin = entry.load()
        except Exception as err:
            raise PluginLoadError(
                f"plugin {entry.name!r} ({dist_name or entry.value}) failed to load: {_reason(err)}"
            ) from None
        yield entry.name, plugin, f"distribution {dist_name}", dist.version if dist else ""


def _directory_plugins(folder: Path):
    if not folder.is_dir():
        raise PluginLoadError(f"--plugins-dir {folder}: not a directory")
    for path in sorted(folder.glob("*.py")):
        module_name = f"backlint_plugins_dir.{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise PluginLoadError(f"plugin {path}: cannot be loaded as a Python module")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as err:
            raise PluginLoadError(f"plugin {str(path)!r} failed to load: {_reason(err)}") from None
        yield path.stem, module, str(path)


def _register(registry: Registry, plugin: object, name: str, source: str, version: str = ""):
    manager = registry.manager
    assert manager is not None
    if manager.get_plugin(name) is not None or name in registry.plugins:
        raise PluginLoadError(f"plugin {name!r} ({source}) is registered twice")
    try:
        manager.register(plugin, name=name)
    except Exception as err:  # pluggy validation: unknown hook arguments, bad markers
        raise PluginLoadError(f"plugin {name!r} ({source}) is invalid: {_reason(err)}") from None
    registry.plugins[name] = PluginInfo(name=name, source=source, version=version)


HOOKS = (
    ("register_rules", "_rule_registrar"),
    ("register_trackers", "_tracker_registrar"),
    ("register_reporters", "_reporter_registrar"),
)


def _collect(registry: Registry, only: Iterable[str] | None = None) -> None:
    """Call each registration hook once through pluggy, recording who registered what.

    pluggy orders the calls (``tryfirst``/``trylast``, wrappers around the rest) and calls only
    functions marked ``@hookimpl``. Each registration is credited to the plugin whose hook
    implementation is on the call stack, so errors and ``backlint plugins`` name the right one.
    ``only`` restricts the call to those plugins (extending a registry already collected).
    """
    manager = registry.manager
    assert manager is not None
    for hook_name, registrar in HOOKS:
        caller = getattr(manager.hook, hook_name)
        if only is not None:
            others = [p for n, p in manager.list_name_plugin() if n not in set(only)]
            caller = manager.subset_hook_caller(hook_name, remove_plugins=others)
        owners = {_code(impl.function): impl.plugin_name for impl in caller.get_hookimpls()}
        if not owners:
            continue

        def owner(owners: dict = owners) -> PluginInfo:
            frame = sys._getframe(2)  # skip owner() and register()
            while frame is not None:
                name = owners.get(frame.f_code)
                if name is not None:
                    return registry.plugins[name]
                frame = frame.f_back
            raise PluginLoadError("a register callback was called outside a hook")

        try:
            caller(register=globals()[registrar](registry, owner))
        except (PluginLoadError, PackError):  # already name the plugin or the pack file
            raise
        except Exception as err:
            name = _raiser(err.__traceback__, owners) or "unknown"
            raise PluginLoadError(f"plugin {name!r}: {hook_name} raised {_reason(err)}") from None


def _code(function: Callable[..., Any]) -> Any:
    return getattr(function, "__func__", function).__code__


def _raiser(trace: Any, owners: Mapping[Any, str]) -> str | None:
    """The plugin whose hook implementation is deepest in a traceback."""
    found = None
    while trace is not None:
        found = owners.get(trace.tb_frame.f_code, found)
        trace = trace.tb_next
    return found


def _blame(info: PluginInfo, owner: str, registry: Registry) -> str:
    """Which plugin a collision is the fault of: never a built-in when a plugin is involved."""
    if info.source == "built-in" and registry.plugins[owner].source != "built-in":
        return owner
    return info.name


def _rule_registrar(registry: Registry, owner: Callable[[], PluginInfo]) -> Callable[[Any], None]:
    def register(rule: Any) -> None:
        info = owner()
        problems = validate_rule(rule) or _family_typo(rule)
        if problems:
            label = getattr(rule, "code", None) or getattr(rule, "__name__", type(rule).__name__)
            raise PluginLoadError(f"plugin {info.name!r}: rule {label}: {'; '.join(problems)}")
        for taken_code, taken in registry.rules.items():
            if rule.code == taken_code or rule.name == taken.name:
                holder = registry.rule_origin[taken_code]
                if _blame(info, holder, registry) == holder:
                    raise PluginLoadError(
                        f"plugin {holder!r}: rule {taken_code} ({taken.name}) collides with "
                        f"{rule.code} ({rule.name}) registered by {info.name!r}"
                    )
                raise PluginLoadError(
                    f"plugin {info.name!r}: rule {rule.code} ({rule.name}) collides with "
                    f"{taken_code} ({taken.name}) registered by {holder!r}"
                )
        registry.rules[rule.code] = rule
        registry.rule_origin[rule.code] = info.name
        info.registered.append(f"rule {rule.code} {rule.name}")

    return register


def _family_typo(rule: Rule) -> list[str]:
    """A family a letter or two away from a built-in one is a typo, not a family of its own."""
    import difflib

    if rule.family in FAMILIES:
        return []
    close = difflib.get_close_matches(rule.family, FAMILIES, n=1, cutoff=0.8)
    if not close:
        return []
    return [f"family {rule.family!r} is not one of backlint's; did you mean {close[0]!r}?"]


def _tracker_registrar(
    registry: Registry, owner: Callable[[], PluginInfo]
) -> Callable[[Any], None]:
    def register(tracker: Any) -> None:
        info = owner()
        for needed in ("name", "claims", "open"):
            if not hasattr(tracker, needed):
                raise PluginLoadError(f"plugin {info.name!r}: tracker lacks {needed!r}")
        registry.trackers.append(tracker)
        if info.source == "built-in":
            registry.builtin_trackers.append(tracker)
        info.registered.append(f"tracker {tracker.name}")

    return register


def _reporter_registrar(
    registry: Registry, owner: Callable[[], PluginInfo]
) -> Callable[[str, Any], None]:
    def register(name: str, reporter: Any) -> None:
        info = owner()
        if name in registry.reporters:
            holder = registry.reporter_origin[name]
            culprit = _blame(info, holder, registry)
            raise PluginLoadError(f"plugin {culprit!r}: report format {name!r} is taken")
        if not callable(reporter):
            raise PluginLoadError(f"plugin {info.name!r}: reporter {name!r} is not callable")
        registry.reporters[name] = reporter
        registry.reporter_origin[name] = info.name
        info.registered.append(f"reporter {name}")

    return register


def _trace(manager: pluggy.PluginManager) -> None:
    """Print each hook call, one line per implementation in the order pluggy calls them."""

    def before(hook_name, hook_impls, kwargs):
        for impl in reversed(hook_impls):
            print(f"backlint: trace: {impl.plugin_name}.{hook_name}()", file=sys.stderr)

    def after(outcome, hook_name, hook_impls, kwargs):
        return None

    manager.add_hookcall_monitoring(before, after)


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
