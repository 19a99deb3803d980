"""The page in a real browser: load the example article, see its name findings highlighted.

Runs ``streamlit run app.py`` on a free localhost port and drives headless Debian Chromium with
Playwright. A screenshot goes to ``tests/e2e/artifacts/`` (git-ignored) and, when
``QA_SCREENSHOT`` names a path (``docs/screenshot.png``), there too.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT, Server

pytestmark = pytest.mark.e2e

NAME_CODE = re.compile(r"^QA2\d\d$")
RESULT_TIMEOUT_MS = 120_000


def open_page(browser, url: str, height: int = 2600):
    """A new page on the app, once Streamlit has drawn its first element."""
    page = browser.new_page(viewport={"width": 1500, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("Load example article")).wait_for(timeout=60_000)
    return page


def load_example(page) -> None:
    """Press the example button and wait for the highlighted document and the chart."""
    page.get_by_role("button", name=re.compile("Load example article")).click()
    page.locator(".qa-doc").first.wait_for(timeout=RESULT_TIMEOUT_MS)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=RESULT_TIMEOUT_MS)


def highlighted(page) -> list[dict]:
    """Codes, severity classes and flagged text of every highlight in the document."""
    return page.locator(".qa-doc mark.qa-m").evaluate_all(
        "els => els.map(e => ({codes: e.dataset.codes.split(' '), cls: e.className,"
        " text: e.querySelector('.qa-t').textContent}))")


def name_highlight(marks: list[dict], flagged: str) -> dict | None:
    """The first highlight of a 2xx finding whose flagged text contains ``flagged``."""
    return next((m for m in marks if flagged in m["text"] and any(NAME_CODE.match(c) for c in m["codes"])), None)


def save_screenshot(page, name: str, hover: str | None = None) -> Path:
    """A screenshot of the whole page (the viewport grows to the app's height first),
    with the pointer on the first element matching ``hover`` (to show its tooltip)."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main, body')]"
        ".map(e => e.scrollHeight))")
    if height > page.viewport_size["height"]:
        page.set_viewport_size({"width": 1500, "height": min(int(height), 4200)})
    page.evaluate("() => document.querySelectorAll('.qa-doc').forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(2000)  # let the data grids and charts finish drawing
    if hover:
        page.locator(hover).first.hover()
        page.wait_for_timeout(300)
    else:
        page.mouse.move(0, 0)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    wanted = os.environ.get("QA_SCREENSHOT")
    if wanted:
        target = Path(wanted) if os.path.isabs(wanted) else ROOT / wanted
        target.parent.mkdir(parents=True, exist_ok=True)
        compact_copy(path, target)
    return path


def compact_copy(source: Path, target: Path) -> None:
    """Copy a screenshot as a 256-colour PNG (a UI has few colours; the file is ~40 % the size)."""
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
        palette.save(target, optimize=True)


def test_example_article_name_findings_are_highlighted(browser, server):
    page = open_page(browser, server.url)
    load_example(page)
    marks = highlighted(page)
    kyiv = name_highlight(marks, "kyiv")
    pokrovsk = name_highlight(marks, "Pokorvsk")
    assert kyiv is not None, f"no 2xx highlight on 'kyiv' among {marks}"
    assert pokrovsk is not None, f"no 2xx highlight on 'Pokorvsk' among {marks}"
    assert re.search(r"qa-(minor|major|critical)", kyiv["cls"])

    # Hovering a highlight shows its rule code and message.
    target = page.locator(".qa-doc mark.qa-m", has=page.locator(".qa-t", has_text="Pokorvsk")).first
    target.hover()
    tip = target.locator(".qa-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert any(code in tip.inner_text() for code in pokrovsk["codes"])
    box, view = tip.bounding_box(), page.viewport_size
    assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], "the tooltip fits in the window"

    # Scores, findings table and chart are on the page, and no traceback is.
    assert page.locator("[data-testid='stMetric']").count() >= 6
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    save_screenshot(page, "example-rules-only.png")
    page.close()


def test_severity_filter_updates_highlights(browser, server):
    page = open_page(browser, server.url)
    load_example(page)
    before = highlighted(page)
    severities = {m["cls"].split()[1] for m in before}
    assert severities, "the example article has findings"
    dropped = sorted(severities)[0].removeprefix("qa-")
    page.get_by_role("button", name=dropped, exact=True).first.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.qa-doc mark.qa-m').length < n", arg=len(before), timeout=30_000)
    assert all(f"qa-{dropped}" not in m["cls"].split()[1] for m in highlighted(page))
    page.close()


def test_selecting_a_table_row_outlines_its_highlight(browser, server):
    from qa.ui import ROW_HEIGHT

    page = open_page(browser, server.url)
    load_example(page)
    page.wait_for_timeout(1500)
    target = page.locator(".qa-doc mark.qa-m", has=page.locator(".qa-t", has_text="Pokorvsk")).first
    number = int(target.get_attribute("data-n").split()[-1])
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    # The checkbox column of row ``number`` (rows follow the finding numbers when nothing is sorted).
    page.mouse.click(grid["x"] + 15, grid["y"] + ROW_HEIGHT * number + ROW_HEIGHT / 2)
    page.wait_for_function("() => document.querySelector('.qa-doc mark.qa-focus') !== null", timeout=30_000)
    focused = page.locator(".qa-doc mark.qa-focus").evaluate_all(
        "els => els.map(e => e.querySelector('.qa-t').textContent)")
    assert focused == ["Pokorvsk"]
    page.wait_for_timeout(500)
    inside = page.evaluate("""() => { const m = document.querySelector('.qa-doc .qa-focus').getBoundingClientRect();
        const b = document.querySelector('.qa-doc').getBoundingClientRect();
        return m.top >= b.top && m.bottom <= b.bottom; }""")
    assert inside, "the selected finding is scrolled into view inside the text box"
    page.close()


BARE_PAGE = 'import streamlit as st\nst.button("Load example article")\n'


def first_render_seconds(browser, script: Path | None = None) -> float:
    """Seconds from the server answering to the first drawn widget (model loading aside)."""
    running = Server(model=os.environ.get("QA_E2E_MODEL", "none"), script=script)
    try:
        began = time.perf_counter()
        page = open_page(browser, running.url)
        seconds = time.perf_counter() - began
        page.close()
    finally:
        running.stop()
    return seconds


def test_first_render_under_three_seconds(browser, tmp_path):
    """Under 3 s; on a machine so loaded that a bare Streamlit page is slow too, within twice its time."""
    bare = tmp_path / "bare.py"
    bare.write_text(BARE_PAGE)
    baseline = first_render_seconds(browser, bare)
    seconds = first_render_seconds(browser)
    limit = max(3.0, 2 * baseline)
    assert seconds < limit, f"first render took {seconds:.1f} s (a bare Streamlit page: {baseline:.1f} s)"


@pytest.mark.slow
def test_example_article_with_a_language_model(browser):
    """The same page with a fluency model (``QA_E2E_MODEL``, default smollm2): fluency scores and chart."""
    pytest.importorskip("qa.fluency")
    model = os.environ.get("QA_E2E_MODEL", "smollm2")
    running = Server(model=model)
    try:
        page = open_page(browser, running.url)
        load_example(page)
        page.get_by_text("Fluency per sentence").wait_for(timeout=RESULT_TIMEOUT_MS * 3)
        fluency = page.locator("[data-testid='stMetric']", has_text="Fluency").inner_text()
        assert re.search(r"\d+\.\d", fluency), fluency
        assert name_highlight(highlighted(page), "kyiv") is not None
        assert page.locator("[data-testid='stException']").count() == 0
        save_screenshot(page, f"example-{model}.png", hover=".qa-doc mark.qa-m")
        page.close()
    finally:
        running.stop()
