"""``vanthu watch ROOT`` and ``vanthu serve ROOT``.

watch: watchdog events on inbox/ plus a periodic rescan (events get lost on network
shares); each sweep runs the ``ingest_folder`` flow in this process. Without
``PREFECT_API_URL`` it starts a temporary local Prefect server, as Prefect's ephemeral
mode does, but in its own session so that Ctrl-C reaches only the watcher: the first
Ctrl-C (or SIGTERM) finishes the current file and stops; a second one stops at once (the
file being processed is put back into inbox/ on the next start).

serve: serves the ``ingest_folder`` deployment on an interval or cron schedule against
the Prefect server in ``PREFECT_API_URL`` (``prefect server start``).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from vanthu.flows.claims import recover
from vanthu.flows.inbox import DEFAULT_STALE_AFTER, FOLDERS, Layout
from vanthu.flows.store import default_url, open_store
from vanthu.pipeline.errors import ExitCode, InputNotFound, UsageError, VanthuError
from vanthu.pipeline.run.limits import die_with_parent

SERVER_START_TIMEOUT = 180.0


class NeedsServer(VanthuError):
    """``vanthu serve`` without a Prefect server to serve against."""

    exit_code = ExitCode.USAGE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def local_prefect_api() -> Iterator[str]:
    """``PREFECT_API_URL`` if set; else a temporary local server for the life of the block."""
    given = os.environ.get("PREFECT_API_URL")
    if given:
        yield given
        return
    import importlib.util

    # where Prefect is installed, without importing it (it reads its settings on import)
    spec = importlib.util.find_spec("prefect")
    site = Path(spec.origin).parent.parent if spec and spec.origin else None
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(site),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    # Linux: the temporary server gets SIGTERM when the watcher dies, even by SIGKILL
    proc = subprocess.Popen(
        cmd,
        env=env,
        start_new_session=True,
        preexec_fn=functools.partial(die_with_parent, signal.SIGTERM),
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the temporary Prefect server did not start in time")
            time.sleep(0.25)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _drain_prefect(timeout: float = 10.0) -> None:
    try:
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=timeout)
        EventsWorker.drain_all(timeout=timeout)
    except Exception:  # noqa: BLE001 - best effort at shutdown
        pass


def _say(text: str) -> None:
    print(f"vanthu: {text}", file=sys.stderr, flush=True)


def checked_layout(root: Path, folders: dict[str, str] | None, *, create: bool) -> Layout:
    """The folder tree of ``root``: a ROOT that is a file is refused; a ROOT without its inbox
    is refused (a mistyped ROOT is not created silently) unless ``create``, which creates
    the missing folders."""
    layout = Layout.under(root, **(folders or {}))
    for folder in (layout.root, *(getattr(layout, name) for name in FOLDERS)):
        if folder.exists() and not folder.is_dir():
            raise UsageError(folder, "is a file, not a folder", hint="give the folder that holds inbox/, out/, done/ …")
    if not create:
        if not layout.inbox.is_dir():
            missing = [str(getattr(layout, n)) for n in FOLDERS if not getattr(layout, n).is_dir()]
            what = "does not exist" if not layout.root.exists() else "has no inbox folder"
            raise InputNotFound(
                layout.root,
                f"{what}; --create would create {', '.join(missing)}",
                hint="check the path, or pass --create to start a new tree here",
            )
        return layout.ensure()  # the other folders of an existing tree
    created = [str(getattr(layout, n)) for n in FOLDERS if not getattr(layout, n).exists()]
    layout.ensure()
    if created:
        _say(f"created {', '.join(created)}")
    return layout


def _open_tree(
    root: Path, folders: dict[str, str] | None, store: str | None, *, create: bool = False
) -> tuple[Layout, str]:
    """The folder tree (checked, created with ``create``) and the store's URL; a bad URL or a
    missing driver fails here, not in a sweep."""
    layout = checked_layout(root, folders, create=create)
    store_url = store or default_url(layout.root)
    open_store(store_url).close()
    return layout, store_url


def _flow_params(layout: Layout, settle: float, store_url: str, stale_after: float, pdf: bool = False) -> dict:
    """The parameters of the ``ingest_folder`` flow for this tree."""
    params = {
        "root": str(layout.root),
        "settle": settle,
        "store": store_url,
        "folders": {k: v for k, v in layout.as_dict().items() if k != "root"},
        "stale_after": stale_after,
    }
    if pdf:  # out/<stem>.pdf beside the JSON: the letter as a searchable PDF
        params["pdf"] = True
    return params


def _install_signals(wake: threading.Event) -> dict:
    """The first Ctrl-C (or SIGTERM) asks to stop after the current file, a second one
    stops at once; returns the handlers it replaced."""
    from vanthu.flows.state import STOP

    def on_signal(signum, frame):  # noqa: ARG001
        if STOP.is_set():
            raise KeyboardInterrupt
        STOP.set()
        wake.set()
        _say("stopping after the current file (press Ctrl-C again to stop now)")

    return {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}


def _observe(inbox: Path, wake: threading.Event):
    """A started watchdog observer that sets ``wake`` on every event in ``inbox``."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Wake(FileSystemEventHandler):
        def on_any_event(self, event):  # noqa: ARG002
            wake.set()

    observer = Observer()
    observer.schedule(Wake(), str(inbox), recursive=False)
    observer.start()
    return observer


def _watch_loop(
    layout: Layout, sweep, params: dict, *, settle: float, rescan: float, once: bool, wake: threading.Event
) -> None:
    """Sweep whenever the inbox has something ready, then wait for an event or the rescan."""
    from vanthu.flows.state import STOP, scanner_for

    while not STOP.is_set():
        wake.clear()
        scan = scanner_for(layout.inbox, settle).scan(layout.inbox)
        waiting = bool(scan.waiting)
        if scan:
            try:
                counts = sweep(**params)
            except Exception as exc:  # noqa: BLE001 - e.g. the Prefect API went away
                _say(f"sweep failed: {type(exc).__name__}: {exc}; retrying in {rescan:g} s")
                wake.wait(rescan)
                continue
            if counts["done"] or counts["failed"] or counts["duplicate"]:
                continue  # more may have arrived meanwhile
            waiting = waiting or counts["waiting"] > 0
        if once and not waiting:
            break
        wake.wait(min(settle, rescan) if waiting else rescan)
        if wake.is_set() and not STOP.is_set():
            time.sleep(min(0.2, settle))  # let a burst of events settle


def run_watch(
    root: Path,
    *,
    folders: dict[str, str] | None = None,
    settle: float = 2.0,
    rescan: float = 30.0,
    store: str | None = None,
    stale_after: float = DEFAULT_STALE_AFTER,
    once: bool = False,
    pdf: bool = False,
    create: bool = False,
) -> int:
    """Watch ``root``'s inbox until Ctrl-C (or, with ``once``, until it is empty); with
    ``pdf``, each letter with pages is also written as out/<stem>.pdf, searchable; a ROOT
    without an inbox is refused unless ``create``."""
    layout, store_url = _open_tree(root, folders, store, create=create)
    back = recover(layout, stale_after)
    if back:
        _say(f"put back {len(back)} file(s) left in {layout.processing}: {', '.join(p.name for p in back)}")

    wake = threading.Event()
    with local_prefect_api():
        from vanthu.flows.ingest import ingest_folder
        from vanthu.flows.state import STOP

        STOP.clear()
        previous = _install_signals(wake)
        observer = _observe(layout.inbox, wake)
        _say(f"watching {layout.inbox} (results in {layout.out}, tasks in {store_url}); Ctrl-C stops")
        params = _flow_params(layout, settle, store_url, stale_after, pdf)
        try:
            _watch_loop(layout, ingest_folder, params, settle=settle, rescan=rescan, once=once, wake=wake)
        finally:
            observer.stop()
            observer.join(5)
            _drain_prefect()  # send the last logs and events while the server is still up
            for s, handler in previous.items():
                signal.signal(s, handler)
    _say("stopped")
    return int(ExitCode.OK)


def run_serve(
    root: Path,
    *,
    interval: float | None,
    cron: str | None,
    name: str,
    folders: dict[str, str] | None = None,
    settle: float = 2.0,
    store: str | None = None,
    stale_after: float = DEFAULT_STALE_AFTER,
    create: bool = False,
) -> int:
    """Serve the ``ingest_folder`` deployment against the Prefect server of ``PREFECT_API_URL``."""
    if not os.environ.get("PREFECT_API_URL"):
        raise NeedsServer(
            "PREFECT_API_URL",
            "not set: `vanthu serve` needs a Prefect server",
            hint="start one with `prefect server start` and "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api`, or use `vanthu watch`",
        )
    layout, store_url = _open_tree(root, folders, store, create=create)
    from prefect.deployments.runner import EntrypointType

    from vanthu.flows.ingest import ingest_folder

    params = {
        "root": str(layout.root),
        "settle": settle,
        "store": store_url,
        "folders": {k: v for k, v in layout.as_dict().items() if k != "root"},
        "stale_after": stale_after,
    }
    schedule = {"cron": cron} if cron else {"interval": interval or 60}
    _say(f"serving deployment 'ingest_folder/{name}' for {layout.inbox} ({schedule})")
    # the runner starts each scheduled run in a fresh process that imports the flow by module
    ingest_folder.serve(name=name, parameters=params, limit=1, entrypoint_type=EntrypointType.MODULE_PATH, **schedule)
    return int(ExitCode.OK)
