"""The inbox observer of ``vanthu watch``: watchdog wakes the sweep when a file arrives."""

from __future__ import annotations

import threading
from pathlib import Path


def stop_observer(observer) -> None:
    """Stop the inbox observer. An event arriving while its thread stops makes watchdog log
    "queue_events() called when the thread is inactive" as an error (a race inside watchdog,
    harmless: the sweep that follows finds every file); it is not shown."""
    import logging

    quiet = logging.getLogger("watchdog.observers.inotify")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        observer.stop()
        observer.join(5)
    finally:
        quiet.setLevel(level)


def observe(inbox: Path, wake: threading.Event):
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
