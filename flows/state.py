"""Process-wide state of ingestion: the stop request and the inbox scanners.

Kept in its own module and used as ``state.STOP``: Prefect's runner pickles a served flow
by value, and a lock among the flow module's globals cannot be pickled.
"""

from __future__ import annotations

import threading
from pathlib import Path

from vanthu.flows.inbox import Scanner

#: Set by ``vanthu watch`` on Ctrl-C: a sweep stops before claiming the next file.
STOP = threading.Event()
_SCANNERS: dict[tuple[str, float], Scanner] = {}


def scanner_for(inbox: Path, settle: float) -> Scanner:
    """One scanner per inbox for the life of the process (it remembers sizes and mtimes)."""
    return _SCANNERS.setdefault((str(inbox), settle), Scanner(settle))
