"""Timings of the Streamlit page in a real browser (headless Debian Chromium via Playwright).

Measures, for a fresh ``streamlit run app.py`` server:

* ``server``: launch to the health check answering;
* ``first render``: opening the page to its first widget (the model, if any, still loading);
* ``example``: pressing "Load example article" to the highlighted text and chart (rules only:
  at once after the first render, while the rules' data still loads in the background; with a
  model: once the model is loaded), then ``example again`` (everything warm);
* ``model ready``: first render to the model's "Ready" status;
* ``1,000 sentences``: pasting a text of that many sentences, pressing Check, seeing results;
  then changing a filter (the page re-renders the highlights and table).

Usage: ``python bench/app_timing.py [--model gemma3|smollm2|none] [--sentences 1000] [--runs 3]``.
The score cache is off unless ``--score-cache`` is given, so a repeated text is scored afresh.
Prints a Markdown table (median of the runs). Needs Chromium and Playwright (``.ci/install-browser``).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

EXAMPLE = ROOT / "examples" / "kursk_evacuation_en.txt"
LONG_WAIT_MS = 1_800_000


def first_render(browser, url: str):
    """A page on ``url`` and the seconds until its first widget is drawn."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    began = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("Load example article")).wait_for(timeout=60_000)
    return page, time.perf_counter() - began


def check_example(page, with_fluency: bool) -> float:
    """Seconds from pressing the example button to the highlighted text and chart."""
    began = time.perf_counter()
    page.get_by_role("button", name=re.compile("Load example article")).click()
    page.locator(".qa-doc").first.wait_for(timeout=LONG_WAIT_MS)
    if with_fluency:
        page.get_by_text("Fluency per sentence").wait_for(timeout=LONG_WAIT_MS)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=LONG_WAIT_MS)
    return time.perf_counter() - began


def check_example_again(page) -> float:
    """Seconds to check the example once more (everything warm; the score cache, if on, too)."""
    page.wait_for_timeout(2000)
    result_key = "() => (document.querySelector('[class*=\"st-key-single-\"]') || {}).className"
    before = page.evaluate(result_key)
    began = time.perf_counter()
    page.get_by_role("button", name=re.compile("Load example article")).click()
    page.wait_for_function(f"old => ({result_key})() && ({result_key})() !== old", arg=before,
                           timeout=LONG_WAIT_MS)  # the widgets of the new result have new keys
    return time.perf_counter() - began


def wait_model_ready(page) -> float:
    """Seconds until the sidebar says the model is ready (or unavailable)."""
    began = time.perf_counter()
    page.get_by_text(re.compile(r"^(Model ready: |\w+ unavailable)")).first.wait_for(timeout=LONG_WAIT_MS)
    return time.perf_counter() - began


def long_text(sentences: int) -> str:
    """A text of about ``sentences`` sentences built from the example article."""
    article = EXAMPLE.read_text(encoding="utf-8-sig").strip()
    per_copy = article.count("\n") + 1
    copies = -(-sentences // per_copy)
    return "\n\n".join(article for _ in range(copies))


def check_pasted(page, text: str) -> tuple[float, float]:
    """Seconds to check a pasted text, then the median seconds to re-render after a filter change."""
    page.get_by_role("button", name="Clear", exact=True).click()
    page.wait_for_timeout(500)
    area = page.get_by_label("Translation", exact=True)
    area.fill(text)
    area.press("Control+Enter")  # commit the text area's value
    page.wait_for_timeout(300)
    began = time.perf_counter()
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_text(re.compile(r"checked in")).first.wait_for(timeout=LONG_WAIT_MS)
    page.locator(".qa-doc").first.wait_for(timeout=LONG_WAIT_MS)
    checked = time.perf_counter() - began
    page.wait_for_timeout(5000)  # let the browser finish drawing the results first
    toggles = []
    for _ in range(3):  # "minor" off, on, off: the median of three re-renders
        before = page.locator(".qa-doc mark.qa-m").count()
        began = time.perf_counter()
        page.get_by_role("button", name="minor", exact=True).first.click()
        page.wait_for_function("n => document.querySelectorAll('.qa-doc mark.qa-m').length != n",
                               arg=before, timeout=LONG_WAIT_MS)
        toggles.append(time.perf_counter() - began)
        page.wait_for_timeout(1000)
    return checked, statistics.median(toggles)


def one_run(browser, model: str, sentences: int) -> dict[str, float]:
    """All timings of one fresh server."""
    launched = time.perf_counter()
    server = Server(model=model)
    result = {"server": time.perf_counter() - launched}
    try:
        page, result["first render"] = first_render(browser, server.url)
        if model == "none":
            result["example (at once)"] = check_example(page, with_fluency=False)
        else:
            result["model ready"] = wait_model_ready(page)
            result["example (model loaded)"] = check_example(page, with_fluency=True)
        result["example again"] = check_example_again(page)
        if sentences:
            text = long_text(sentences)
            result[f"{sentences:,} sentences"], result["filter re-render"] = check_pasted(page, text)
        page.close()
    finally:
        server.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="none", choices=("none", "smollm2", "gemma3"))
    parser.add_argument("--sentences", type=int, default=1000, help="sentences pasted (0 to skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--score-cache", action="store_true",
                        help="keep qa's score cache (default: off, so every run scores the text afresh)")
    args = parser.parse_args()
    if not args.score_cache:
        os.environ["QA_CACHE_DIR"] = "off"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        runs = [one_run(browser, args.model, args.sentences) for _ in range(args.runs)]
        browser.close()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"model: {args.model}, runs: {args.runs}, seconds; load average at the end: {load} "
          f"on {os.cpu_count()} cores")
    print("| step | median | min | max |\n|---|---|---|---|")
    for step in runs[0]:
        values = [r[step] for r in runs]
        print(f"| {step} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
