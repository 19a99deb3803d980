"""Language identification, deterministic (langdetect is seeded)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return DetectorFactory


def detect_language(text: str) -> tuple[str | None, float]:
    """The most probable language of ``text`` as an ISO 639-1 code and its probability."""
    if len(text.strip()) < 3:
        return None, 0.0
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    _factory()
    try:
        best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return None, 0.0
    return _normalise(best.lang), float(best.prob)


def _normalise(code: str) -> str:
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(code, code.split("-")[0])
