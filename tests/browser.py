"""A tiny headless-Chromium harness over the Chrome DevTools Protocol, as pytest fixtures.

The HTML report is meant to be read in a browser, so its tests run in a real one: Debian's
``chromium`` (or ``$AUDITOR_CHROMIUM``) started headless with a fresh profile and
``--remote-debugging-port=0``; the port is read from ``DevToolsActivePort`` and every page is a
target attached over one websocket (flat sessions). A :class:`Page` records console calls,
exceptions, log entries and JavaScript dialogs, evaluates expressions to JSON and clicks with real
mouse events. Chromium is closed with ``Browser.close`` and its process group killed, always.

No Chromium: the tests are skipped, except under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--remote-debugging-port=0",
)  # fmt: skip
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 30.0


class BrowserError(RuntimeError):
    """A DevTools command failed, or Chromium did not answer in time."""


def chromium_path() -> str | None:
    """The Chromium to use, or ``None`` when there is none."""
    named = os.environ.get("AUDITOR_CHROMIUM") or DEFAULT_CHROMIUM
    found = shutil.which(named) if not os.path.isabs(named) else named
    return found if found and os.access(found, os.X_OK) else None


class Connection:
    """One websocket to the browser; commands wait for their answer, events queue up per session."""

    def __init__(self, url: str) -> None:
        import websocket  # websocket-client

        self._socket = websocket.create_connection(url, timeout=COMMAND_TIMEOUT, suppress_origin=True)
        self._next = 0
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.listeners: dict[str, Any] = {}  # session → callable(event), run as events arrive

    def post(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command without waiting; its answer is dropped when it comes. Returns its id."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        return self._next

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and return its result (events arriving meanwhile are queued)."""
        number = self.post(method, params, session)
        while True:
            reply = self._receive(COMMAND_TIMEOUT)
            if reply is not None and reply.get("id") == number:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))

    def wait_for(self, session: str, method: str, timeout: float = COMMAND_TIMEOUT) -> dict[str, Any]:
        """The first queued or arriving event ``method`` of ``session`` (consumed from a private cursor)."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events.get(session, []):
                if event["method"] == method and not event.get("_seen"):
                    event["_seen"] = True
                    return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no {method} within {timeout} s")
            self._receive(left)

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        import websocket

        self._socket.settimeout(timeout)
        try:
            message = json.loads(self._socket.recv())
        except websocket.WebSocketTimeoutException as exc:
            raise BrowserError("Chromium did not answer in time") from exc
        if "method" in message:
            session = message.get("sessionId", "")
            self.events.setdefault(session, []).append(message)
            listener = self.listeners.get(session)
            if listener is not None:
                listener(message)
            return None
        return dict(message)

    def close(self) -> None:
        try:
            self._socket.close()
        except OSError:
            pass


class Page:
    """One tab: navigate, evaluate, click, and what it logged."""

    def __init__(self, connection: Connection, target: str, session: str) -> None:
        self._connection = connection
        self.target = target
        self.session = session
        connection.listeners[session] = self._on_event
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._connection.send(method, params, self.session)

    def _on_event(self, event: dict[str, Any]) -> None:
        if event["method"] == "Page.javascriptDialogOpening":
            # Answer at once (without waiting for the reply) so the page is never stuck on a modal.
            self._connection.post("Page.handleJavaScriptDialog", {"accept": True}, self.session)

    @property
    def events(self) -> list[dict[str, Any]]:
        return self._connection.events.get(self.session, [])

    def goto(self, url: str) -> None:
        """Navigate and wait for the load event."""
        self.send("Page.navigate", {"url": url})
        self._connection.wait_for(self.session, "Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises awaited); a thrown error fails."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]!r} threw {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real left click (mouse moved, pressed, released) in the middle of the first match."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'});"
            " const r = e.getClientRects()[0]; return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def press(self, key: str) -> None:
        """A key press (``Tab``, ``Enter``, ``Escape``) sent to the focused element."""
        codes = {"Tab": 9, "Enter": 13, "Escape": 27}
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": codes.get(key, 0)},
            )

    def problems(self) -> list[str]:
        """Console errors/warnings, uncaught exceptions and warning/error log entries so far."""
        out = []
        for event in self.events:
            method, params = event["method"], event["params"]
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails']}")
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert"):
                out.append(f"console.{params['type']}: {params['args']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                out.append(f"log {params['entry']['level']}: {params['entry']['text']}")
        return out

    def dialogs(self) -> list[dict[str, Any]]:
        return [event["params"] for event in self.events if event["method"] == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        self._connection.listeners.pop(self.session, None)
        self._connection.send("Target.closeTarget", {"targetId": self.target})


class Browser:
    """A headless Chromium with a throw-away profile."""

    def __init__(self, executable: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="auditor-chromium-"))
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.connection: Connection | None = None
        try:
            self.connection = Connection(self._endpoint())
        except BaseException:
            self.close()
            raise

    def _endpoint(self) -> str:
        """The browser websocket named in ``DevToolsActivePort`` (port line, then path line)."""
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"Chromium exited at start-up with code {self.process.returncode}")
            lines = marker.read_text().split() if marker.exists() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise BrowserError(f"Chromium wrote no DevToolsActivePort within {START_TIMEOUT} s")

    def new_page(self) -> Page:
        assert self.connection is not None
        target = self.connection.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.connection.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self.connection, target, session)

    def close(self) -> None:
        """Browser.close, then make sure: kill the process group, remove the profile."""
        try:
            if self.connection is not None:
                try:
                    self.connection.send("Browser.close")
                except Exception:  # the socket closes as the browser goes
                    pass
                self.connection.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        finally:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def _unavailable(message: str) -> None:
    """Skip, except under CI=true: there a missing browser must not pass silently."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One Chromium for the whole session (import this into a test module to use ``browser``/``page``)."""
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("AUDITOR_CHROMIUM") or DEFAULT_CHROMIUM
        _unavailable(f"Chromium not found at {where}: install it (apt-get install chromium) or set AUDITOR_CHROMIUM")
    try:
        import websocket  # noqa: F401
    except ImportError:
        _unavailable("websocket-client is not installed (pip install websocket-client; it is in the dev extras)")
    instance = Browser(executable)  # type: ignore[arg-type]
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    """A fresh tab per test, closed afterwards."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()
