"""Records changed by a test, with their warnings rebuilt as the extractor builds them."""

from __future__ import annotations

from typing import Any

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.warnings import record_warnings


def rewarned(data: dict[str, Any]) -> DispatchRecord:
    """``data`` (a record's JSON, its provenance edited) with ``warnings`` and
    ``warning_details`` as the extractor would write them for that provenance."""
    record = DispatchRecord.model_validate(data)
    details = record_warnings([], record.provenance, record.model_dump(), record.assignments)
    return record.model_copy(update={"warnings": [d.message for d in details], "warning_details": details})
