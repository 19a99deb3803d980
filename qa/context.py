"""What a check may use besides the document: settings, the language model and shared caches."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from .config import Config

T = TypeVar("T")


@dataclass
class CheckContext:
    """Per-document context handed to every check.

    ``scorer`` is the language-model scorer (``qa.fluency``) or None when fluency is off;
    checks that can use it to confirm a candidate must still work without it.
    ``fluency`` maps segment id to that segment's fluency result when it was computed.
    """

    config: Config
    scorer: Any = None
    fluency: dict[str, Any] = field(default_factory=dict)
    adequacy: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """Compute ``factory()`` once per document under ``key`` (for work several checks share)."""
        if key not in self.shared:
            self.shared[key] = factory()
        return self.shared[key]
