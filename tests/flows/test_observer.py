"""The inbox observer (flows/observer.py): a new file wakes the sweep; stopping it never
logs watchdog's shutdown race as an error."""

from __future__ import annotations

import logging
import threading

from vanthu.flows.observer import observe, stop_observer


def test_a_new_file_wakes_the_sweep(tmp_path) -> None:
    wake = threading.Event()
    observer = observe(tmp_path, wake)
    try:
        (tmp_path / "letter.pdf").write_bytes(b"%PDF-1.4\n")
        assert wake.wait(10)
    finally:
        stop_observer(observer)
    assert not observer.is_alive()


def test_stopping_hides_watchdogs_shutdown_error_and_restores_its_level(tmp_path, caplog) -> None:
    logger = logging.getLogger("watchdog.observers.inotify")
    before = logger.level
    observer = observe(tmp_path, threading.Event())
    seen: list[int] = []

    def stop() -> None:  # what watchdog logs when an event races the stop
        seen.append(logger.getEffectiveLevel())
        logger.error("queue_events() called when the thread is inactive")
        type(observer).stop(observer)

    observer.stop = stop  # type: ignore[method-assign]
    with caplog.at_level(logging.DEBUG):
        stop_observer(observer)
    assert seen == [logging.CRITICAL]
    assert "queue_events" not in caplog.text
    assert logger.level == before
