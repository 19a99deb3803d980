"""Shared fixtures: paths of the repository, a rules-only runner and the packaged model."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kursk_evacuation_en.txt"
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def example_text() -> str:
    with open(EXAMPLE, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


@pytest.fixture
def rules_only():
    """``check(text, lang)`` with rules only (no language model)."""
    from qa import Config, check

    def run(text: str, lang: str = "en", **kwargs):
        return check(text, target_lang=lang, config=Config(fluency=False), **kwargs)

    return run


@pytest.fixture(scope="session")
def gemma():
    """The default packaged model (Gemma 3 270M), loaded once for all slow tests, score cache off."""
    from qa import Config
    from qa.fluency import ModelUnavailable, load_scorer

    try:
        return load_scorer(Config(model="gemma3", cache_dir="off"))
    except ModelUnavailable as error:  # pragma: no cover - the model package is a dependency
        pytest.fail(f"the default model must be installed for slow tests: {error}")


def pytest_collection_modifyitems(config, items):
    """Skip slow/e2e tests when QA_FAST=1 (local quick runs); CI runs everything."""
    if os.environ.get("QA_FAST") == "1":
        skip = pytest.mark.skip(reason="QA_FAST=1")
        for item in items:
            if "slow" in item.keywords or "e2e" in item.keywords:
                item.add_marker(skip)
