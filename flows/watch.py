"""``vanthu watch ROOT`` and ``vanthu serve ROOT``.

watch: watchdog events on inbox/ plus a periodic rescan (events get lost on network
shares); each sweep runs the ``ingest_folder`` flow in this process. With
``PREFECT_API_URL`` set, runs are reported to that server (and its UI links are printed);
without it, Prefect's own ephemeral mode (``PREFECT_SERVER_ALLOW_EPHEMERAL_MODE``) starts
a temporary API in a subprocess on the first sweep that has a letter — never for an empty
inbox — with Ctrl-C blocked in it, so that Ctrl-C reaches only the watcher, and stops it
after ``EPHEMERAL_IDLE_STOP`` idle seconds (it starts again with the next letter). No UI
runs then, so no links are printed. The first Ctrl-C (or SIGTERM) finishes the current
file and stops; a second one stops at once (the file being processed goes back to inbox/
when its lease expires, or on the next start). Expired claims are put back at every
turn of the loop, even when the inbox is empty.

serve: serves the ``ingest_folder`` deployment on an interval or cron schedule against
the Prefect server in ``PREFECT_API_URL`` (``prefect server start``).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from vanthu.flows.claims import RENEWALS_PER_LEASE, recover
from vanthu.flows.inbox import DEFAULT_LEASE, FOLDERS, Layout
from vanthu.flows.observer import observe, stop_observer
from vanthu.flows.store import default_url, open_store
from vanthu.pipeline.errors import ExitCode, InputNotFound, UsageError, VanthuError
from vanthu.pipeline.i18n import _, ngettext

#: Seconds the temporary Prefect API may take to start (it creates its database the first time).
SERVER_START_TIMEOUT = 180.0
#: Seconds without a letter after which the temporary (ephemeral) Prefect API is stopped.
EPHEMERAL_IDLE_STOP = 120.0


class NeedsServer(VanthuError):
    """``vanthu serve`` without a Prefect server to serve against."""

    exit_code = ExitCode.USAGE


class PrefectApi:
    """Where flow runs are reported: the server of ``PREFECT_API_URL``, or Prefect's
    ephemeral API, started on first need (with SIGINT blocked, so Ctrl-C in a terminal
    reaches only the watcher) and stopped when idle."""

    def __init__(self) -> None:
        self.configured = bool(os.environ.get("PREFECT_API_URL"))
        self.started = False
        self.guard: subprocess.Popen | None = None
        if not self.configured:
            os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            # Prefect's default (20 s) is too short for a first start on a busy machine
            os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(int(SERVER_START_TIMEOUT)))

    def ensure(self) -> None:
        if self.configured or self.started:
            return
        from prefect.client.orchestration import get_client
        from prefect.server.api.server import SubprocessASGIServer

        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:  # the subprocess inherits the blocked SIGINT
            with get_client(sync_client=True) as client:
                client.api_healthcheck()
        except BaseException:
            SubprocessASGIServer().stop()  # a server that did not start in time is not left behind
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        self.started = True
        server = SubprocessASGIServer().server_process
        if server is not None:
            self.guard = _guard(server.pid)

    def _unguard(self) -> None:
        guard, self.guard = self.guard, None
        if guard is not None:
            guard.send_signal(signal.SIGUSR1)
            try:
                guard.wait(5)
            except subprocess.TimeoutExpired:
                guard.kill()
                guard.wait()

    def stop(self) -> None:
        if self.configured or not self.started:
            return
        _drain_prefect()
        from prefect.server.api.server import SubprocessASGIServer

        SubprocessASGIServer().stop()
        self.started = False
        self._unguard()


#: A shell that stops the server ``$1`` when it gets SIGTERM (sent by the kernel when the
#: watcher dies, even by SIGKILL: ``PR_SET_PDEATHSIG``); it says "ready" once its traps
#: are set, stops the server at once if the watcher died before, and ends quietly (its
#: ``sleep`` too) on SIGUSR1, when the watcher stops the server itself.
_GUARD = (
    "trap 'kill -TERM \"$1\"; kill $! 2>/dev/null; exit 0' TERM; "
    "trap 'kill $! 2>/dev/null; exit 0' USR1; echo ready; "
    '[ "$PPID" = 1 ] && kill -TERM "$1" && exit 0; '
    "while :; do sleep 3600 & wait $!; done"
)


def _guard(pid: int) -> subprocess.Popen:
    """Prefect's temporary API does not end with the process that started it: a small
    shell, told by the kernel when the watcher dies, stops it then."""
    from vanthu.pipeline.run.limits import die_with_parent

    guard = subprocess.Popen(
        ["/bin/sh", "-c", _GUARD, "vanthu-api-guard", str(pid)],
        preexec_fn=functools.partial(die_with_parent, signal.SIGTERM),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert guard.stdout is not None
    guard.stdout.readline()  # its trap is set
    guard.stdout.close()
    return guard


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
            raise UsageError(
                folder, _("is a file, not a folder"), hint=_("give the folder that holds inbox/, out/, done/ …")
            )
    if not create:
        if not layout.inbox.is_dir():
            missing = [str(getattr(layout, n)) for n in FOLDERS if not getattr(layout, n).is_dir()]
            what = _("does not exist") if not layout.root.exists() else _("has no inbox folder")
            raise InputNotFound(
                layout.root,
                _("{what}; --create would create {missing}").format(what=what, missing=", ".join(missing)),
                hint=_("check the path, or pass --create to start a new tree here"),
            )
        return layout.ensure()  # the other folders of an existing tree
    created = [str(getattr(layout, n)) for n in FOLDERS if not getattr(layout, n).exists()]
    layout.ensure()
    if created:
        _say(_("created {folders}").format(folders=", ".join(created)))
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


def _flow_params(layout: Layout, settle: float, store_url: str, lease: float, pdf: bool = False) -> dict:
    """The parameters of the ``ingest_folder`` flow for this tree."""
    params = {
        "root": str(layout.root),
        "settle": settle,
        "store": store_url,
        "folders": {k: v for k, v in layout.as_dict().items() if k != "root"},
        "lease": lease,
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
        _say(_("stopping after the current file (press Ctrl-C again to stop now)"))

    return {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}


class _Watcher:
    """The loop of ``watch``: put back expired claims, sweep when the inbox has something
    ready, note the time (``vanthu status``), wait for an event or the rescan."""

    def __init__(self, layout: Layout, params: dict, *, settle: float, rescan: float, wake: threading.Event):
        self.layout, self.params, self.settle, self.wake = layout, params, settle, wake
        self.lease = float(params["lease"])
        # a turn at least every quarter lease: a dead worker's letter is taken soon
        self.rescan = min(rescan, self.lease / RENEWALS_PER_LEASE)
        self.api = PrefectApi()
        self.last_letter = time.monotonic()

    def sweep(self) -> dict[str, int] | None:
        """One run of the flow (the API started first if needed); None if it failed."""
        from vanthu.flows.health import write_heartbeat

        try:
            self.api.ensure()
            from vanthu.flows.ingest import ingest_folder

            counts = ingest_folder(**self.params)
        except Exception as exc:  # noqa: BLE001 - e.g. the Prefect API went away
            _say(
                _("sweep failed: {kind}: {why}; retrying in {seconds:g} s").format(
                    kind=type(exc).__name__, why=exc, seconds=self.rescan
                )
            )
            write_heartbeat(self.layout, error=f"{type(exc).__name__}: {exc}")
            return None
        self.last_letter = time.monotonic()
        return counts

    def turn(self, once: bool) -> bool:
        """One turn; false when the loop should end (``once`` and nothing left)."""
        from vanthu.flows.health import write_heartbeat
        from vanthu.flows.state import scanner_for

        self.wake.clear()
        back = recover(self.layout, self.lease)
        if back:
            put_back = ngettext(
                "put back {n} file whose claim expired: {names}",
                "put back {n} files whose claim expired: {names}",
                len(back),
            )
            _say(put_back.format(n=len(back), names=", ".join(p.name for p in back)))
        scan = scanner_for(self.layout.inbox, self.settle).scan(self.layout.inbox)
        waiting = bool(scan.waiting)
        if scan:
            counts = self.sweep()
            if counts is None:
                self.wake.wait(self.rescan)
                return True
            if counts["done"] or counts["failed"] or counts["duplicate"] or counts["retaken"]:
                return True  # more may have arrived meanwhile
            waiting = waiting or counts["waiting"] > 0
        else:
            write_heartbeat(self.layout)
        if once and not waiting:
            return False
        if time.monotonic() - self.last_letter > EPHEMERAL_IDLE_STOP:
            self.api.stop()
        self.wake.wait(min(self.settle, self.rescan) if waiting else self.rescan)
        if self.wake.is_set():
            time.sleep(min(0.2, self.settle))  # let a burst of events settle
        return True


def run_watch(
    root: Path,
    *,
    folders: dict[str, str] | None = None,
    settle: float = 2.0,
    rescan: float = 30.0,
    store: str | None = None,
    lease: float = DEFAULT_LEASE,
    once: bool = False,
    pdf: bool = False,
    create: bool = False,
) -> int:
    """Watch ``root``'s inbox until Ctrl-C (or, with ``once``, until it is empty); with
    ``pdf``, each letter with pages is also written as out/<stem>.pdf, searchable; a ROOT
    without an inbox is refused unless ``create``."""
    from vanthu.flows.state import STOP

    layout, store_url = _open_tree(root, folders, store, create=create)
    wake = threading.Event()
    params = _flow_params(layout, settle, store_url, lease, pdf)
    watcher = _Watcher(layout, params, settle=settle, rescan=rescan, wake=wake)
    create: bool = (False,)
    STOP.clear()
    previous = _install_signals(wake)
    observer = observe(layout.inbox, wake)
    if once:
        _say(
            _("processing {inbox} once (results in {out}, tasks in {store})").format(
                inbox=layout.inbox, out=layout.out, store=store_url
            )
        )
    else:
        _say(
            _("watching {inbox} (results in {out}, tasks in {store}); Ctrl-C stops").format(
                inbox=layout.inbox, out=layout.out, store=store_url
            )
        )
    try:
        while not STOP.is_set() and watcher.turn(once):
            pass
    finally:
        stop_observer(observer)
        watcher.api.stop()  # (sends the last logs and events first)
        if "prefect" in sys.modules:  # (an empty inbox never loads Prefect)
            _drain_prefect()
        for s, handler in previous.items():
            signal.signal(s, handler)
    _say(_("stopped"))
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
    lease: float = DEFAULT_LEASE,
    create: bool = False,
) -> int:
    """Serve the ``ingest_folder`` deployment against the Prefect server of ``PREFECT_API_URL``."""
    if not os.environ.get("PREFECT_API_URL"):
        raise NeedsServer(
            "PREFECT_API_URL",
            _("not set: `vanthu serve` needs a Prefect server"),
            hint=_(
                "start one with `prefect server start` and "
                "`export PREFECT_API_URL=http://127.0.0.1:4200/api`, or use `vanthu watch`"
            ),
        )
    layout, store_url = _open_tree(root, folders, store, create=create)
    from prefect.deployments.runner import EntrypointType

    from vanthu.flows.ingest import ingest_folder

    params = _flow_params(layout, settle, store_url, lease)
    schedule = {"cron": cron} if cron else {"interval": interval or 60}
    _say(
        _("serving deployment 'ingest_folder/{name}' for {inbox} ({schedule})").format(
            name=name, inbox=layout.inbox, schedule=schedule
        )
    )
    # the runner starts each scheduled run in a fresh process that imports the flow by module
    ingest_folder.serve(name=name, parameters=params, limit=1, entrypoint_type=EntrypointType.MODULE_PATH, **schedule)
    return int(ExitCode.OK)
