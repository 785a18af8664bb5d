"""A headless Chromium driven through the DevTools protocol (for the web page's browser
test): open a page, run a line of JavaScript in it, click and wait for the next page.

Chromium listens on a loopback port of its own (``--remote-debugging-port``); its first tab
is driven over a WebSocket (``websockets``, installed with Prefect).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: How long a page may take to load, and Chromium to start (a loaded machine).
WAIT_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, what: str, timeout: float = WAIT_S):
    """Poll ``check()`` until it returns something true; fail naming ``what`` after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


class Browser:
    """One headless Chromium with one tab."""

    def __init__(self, profile: Path):
        from websockets.sync.client import connect

        assert CHROMIUM is not None
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        target = wait_until(self._page_target, "Chromium's DevTools")
        self.ws = connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=WAIT_S)
        self._id = 0
        self.events: list[dict[str, Any]] = []
        self.call("Page.enable")

    def _page_target(self) -> dict[str, Any] | None:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=5) as answer:
            targets = json.load(answer)
        return next((t for t in targets if t.get("type") == "page"), None)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=WAIT_S))
            if message.get("id") == self._id:
                assert "error" not in message, message
                return message.get("result", {})
            self.events.append(message)

    def _wait_load(self) -> None:
        while True:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                self.events.clear()
                return
            self.events.append(json.loads(self.ws.recv(timeout=WAIT_S)))

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", url=url)
        self._wait_load()

    def reload(self) -> None:
        self.events.clear()
        self.call("Page.reload", ignoreCache=True)
        self._wait_load()

    def run(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def run_and_wait(self, expression: str) -> None:
        """Run an expression that leaves the page (a click on a form's button), wait for the next."""
        self.events.clear()
        self.run(expression)
        self._wait_load()

    def url(self) -> str:
        return self.run("location.pathname + location.search")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
