"""Settings of a run: defaults, then a config file, then command-line flags.

:class:`Config` is the one object every part of ``qa`` reads its settings from.
The config file is ``qa.toml`` (settings at the top level) or ``pyproject.toml`` (a
``[tool.qa]`` table), given with ``--config`` or found by :func:`discover_config` in the
working directory or one of its parents. ``[[overrides]]`` tables change settings for the
files whose path matches one of their ``paths`` globs (see :meth:`Config.for_path`).
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

FAIL_ON_CHOICES = ("minor", "major", "critical", "never")


@dataclass(frozen=True)
class Config:
    """Everything that changes what a run checks or how it judges the result."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "major"
    min_quality: float | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    glossary: tuple[str, ...] = ()
    fluency: bool = True
    model: str = "gemma3"
    device: str = "auto"
    workers: int = 1
    severity: Mapping[str, str] = field(default_factory=dict)
    penalties: Mapping[str, float] = field(default_factory=dict)
    fluency_weight: float = 0.2
    adequacy_weight: float = 0.2
    adequacy: bool = True
    cache_dir: str | None = None
    baseline: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    overrides: tuple[Mapping[str, Any], ...] = ()
    root: str | None = None

    def updated(self, **changes: Any) -> "Config":
        """A copy with ``changes`` applied; ``None`` values leave a setting as it was."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        kept = {k: _normalise(k, v) for k, v in changes.items() if v is not None}
        return replace(self, **kept)

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else (dict(v) if isinstance(v, Mapping) else v))
                for k, v in asdict(self).items()}

    def for_path(self, path: str) -> "Config":
        """The settings for one file: this config with every matching ``[[overrides]]`` applied in order.

        A pattern matches the path relative to the config file's directory (``root``) or the
        path as given; ``*`` and ``**`` both cross directories.
        """
        if not self.overrides or not path or path == "-":
            return self
        candidates = {path.replace(os.sep, "/")}
        if self.root:
            relative = os.path.relpath(os.path.abspath(path), self.root)
            candidates.add(relative.replace(os.sep, "/"))
        config = self
        for override in self.overrides:
            patterns = override.get("paths", ())
            if any(fnmatch.fnmatchcase(c, p) or fnmatch.fnmatchcase(c, p.rstrip("/") + "/*")
                   for c in candidates for p in patterns):
                changes = {k: v for k, v in override.items() if k != "paths"}
                config = config.updated(**changes)
        return config


# Settings that hold for the whole run and cannot change per path.
RUN_WIDE = ("fail_on", "min_quality", "fluency", "model", "device", "workers", "cache_dir", "baseline",
            "overrides", "root", "fluency_weight", "adequacy_weight", "penalties")


def _normalise(name: str, value: Any) -> Any:
    if name == "overrides":
        return tuple(_override(item) for item in value)
    if name in ("severity", "penalties", "columns", "extra"):
        if not isinstance(value, Mapping):
            raise ValueError(f"{name} must be a table of settings, not {value!r}")
        return {str(k).upper() if name == "severity" else str(k): v for k, v in value.items()}
    if name == "workers" and (not isinstance(value, int) or value < 1):
        raise ValueError(f"workers must be a whole number of at least 1, not {value!r}")
    if name in ("select", "ignore", "glossary") and isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if name in ("select", "ignore", "glossary"):
        return tuple(value)
    if name == "fail_on" and value not in FAIL_ON_CHOICES:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON_CHOICES)}, not {value!r}")
    return value


def _override(item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping) or not item.get("paths"):
        raise ValueError("every [[overrides]] table needs paths = [\"glob\", ...]")
    settings = {str(k).replace("-", "_"): v for k, v in item.items()}
    wide = sorted(set(settings) & set(RUN_WIDE))
    if wide:
        raise ValueError(f"{', '.join(wide)} cannot change per path (they hold for the whole run)")
    paths = settings["paths"]
    settings["paths"] = (paths,) if isinstance(paths, str) else tuple(paths)
    Config().updated(**{k: v for k, v in settings.items() if k != "paths"})  # validates names and values
    return settings


def load_config_file(path: str) -> dict[str, Any]:
    """Settings from a ``qa.toml`` (top level) or ``pyproject.toml`` (``[tool.qa]``), as a dict.

    Relative ``glossary`` and ``baseline`` paths are made relative to the file's directory,
    and ``root`` is set to it (``[[overrides]]`` globs are matched from there).
    """
    import tomllib

    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"not valid TOML: {error}") from None
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("qa", {})
    settings = {key.replace("-", "_"): value for key, value in data.items()}
    base = os.path.dirname(os.path.abspath(path))
    if isinstance(settings.get("glossary"), str):
        settings["glossary"] = [settings["glossary"]]
    if settings.get("glossary"):
        settings["glossary"] = [_relative_to(base, g) for g in settings["glossary"]]
    if settings.get("baseline"):
        settings["baseline"] = _relative_to(base, settings["baseline"])
    settings["root"] = base
    return settings


def _relative_to(base: str, path: str) -> str:
    """``path`` from the config file's directory, expressed from the working directory when shorter."""
    full = path if os.path.isabs(path) else os.path.normpath(os.path.join(base, path))
    relative = os.path.relpath(full)
    return relative if not relative.startswith("..") else full


CONFIG_NAMES = ("qa.toml", ".qa.toml", "pyproject.toml")


def discover_config(start: str | None = None) -> str | None:
    """The nearest ``qa.toml`` (or ``pyproject.toml`` with ``[tool.qa]``) in ``start`` or its parents."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_qa(candidate)):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_qa(path: str) -> bool:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return "qa" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def to_toml(config: Config) -> str:
    """The settings as a ``qa.toml`` a user could save (None values are left out)."""
    lines: list[str] = []
    tables: list[str] = []
    for key, value in config.to_dict().items():
        if key in ("root", "overrides") or value is None:
            continue
        if isinstance(value, dict):
            if value:
                tables.append(f"\n[{key}]")
                tables.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
            continue
        lines.append(f"{key.replace('_', '-')} = {_toml_value(value)}")
    for override in config.overrides:
        tables.append("\n[[overrides]]")
        tables.extend(f"{k.replace('_', '-')} = {_toml_value(list(v) if isinstance(v, tuple) else v)}"
                      for k, v in override.items())
    return "\n".join(lines + tables) + "\n"


def _toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() else _toml_value(key)


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)
