"""Settings of a run: defaults, then a config file, then command-line flags.

:class:`Config` is the one object every part of ``qa`` reads its settings from.
"""
from __future__ import annotations

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
    adequacy: bool = True
    cache_dir: str | None = None
    baseline: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

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


def _normalise(name: str, value: Any) -> Any:
    if name in ("select", "ignore", "glossary") and isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if name in ("select", "ignore", "glossary"):
        return tuple(value)
    if name == "fail_on" and value not in FAIL_ON_CHOICES:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON_CHOICES)}, not {value!r}")
    return value


def load_config_file(path: str) -> dict[str, Any]:
    """Settings from a ``qa.toml`` (top level) or ``pyproject.toml`` (``[tool.qa]``), as a dict."""
    import tomllib

    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    if path.endswith("pyproject.toml"):
        data = data.get("tool", {}).get("qa", {})
    return {key.replace("-", "_"): value for key, value in data.items()}
