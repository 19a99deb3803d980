"""Fixtures of the browser tests: a Streamlit server on a free port and headless Debian Chromium.

The tests are skipped (with the reason) when Chromium or Playwright is not installed;
``.ci/install-browser`` installs both. Playwright never downloads a browser here: it drives
the system's ``/usr/bin/chromium`` through ``executable_path``.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _artifacts_dir() -> Path:
    """``tests/e2e/artifacts`` (git-ignored), or a temporary directory in a read-only checkout."""
    wanted = Path(os.environ.get("QA_E2E_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        if os.access(wanted, os.W_OK):
            return wanted
    except OSError:
        pass
    import tempfile

    return Path(tempfile.mkdtemp(prefix="qa-e2e-"))


ARTIFACTS = _artifacts_dir()
CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> float:
    """Seconds until the server answers its health check; fails if it dies or times out."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - began
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit did not answer within {timeout:.0f} s")


class Server:
    """A running ``streamlit run app.py`` (or ``script``), headless, without usage statistics."""

    def __init__(self, model: str = "none", log_path: Path | None = None, script: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "QA_APP_MODEL": model, "PYTHONUNBUFFERED": "1"}
        self.log = open(log_path or ARTIFACTS / f"streamlit-{model}.log", "w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "app.py"),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.health_seconds = wait_healthy(self.url, self.process, timeout=90)

    def stop(self) -> None:
        """Terminate the server (and wait for it)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium not found at {CHROMIUM} (run .ci/install-browser)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (run .ci/install-browser)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """The page with rules only (no language model)."""
    if browser_missing():
        pytest.skip(browser_missing())
    running = Server(model="none")
    yield running
    running.stop()
