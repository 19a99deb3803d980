"""What a check may use besides the document: settings, the language model and shared caches."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, TypeVar

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


def freeze_loaded_data() -> None:
    """Hide every object alive now from the cyclic garbage collector, for good (``gc.freeze``).

    The batch runner (``qa check``) calls it after each job: the lexicons, word lists and per-text
    caches the checks load are kept for the life of the process, and without this the collector
    walks their millions of objects again and again (about a fifth of the rules' CPU time on a
    large table). Frozen objects are still freed by reference counting; only a reference cycle
    alive at this moment that dies later is never reclaimed, so long-lived hosts (a web app, a
    notebook, a Dask or Ray worker) do not call this.
    """
    gc.freeze()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a lexicon or model loads.

    Loading creates hundreds of thousands of objects that all stay alive; the collector would
    otherwise run many times over them for nothing (0.4 s of a 1.5 s start-up).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
