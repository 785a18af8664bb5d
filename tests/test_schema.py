import json
from pathlib import Path

from vanthu.models import DispatchRecord, json_schema

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "dispatch.schema.json"


def test_committed_schema_is_current():
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(json_schema(), ensure_ascii=False)), (
        "schema/dispatch.schema.json is stale: run `vanthu schema --out schema/dispatch.schema.json`"
    )


def test_record_forbids_unknown_fields_and_normalises_to_nfc():
    import pytest
    from pydantic import ValidationError

    base = {
        "id": "sha256:" + "0" * 64,
        "source": {
            "file": "a.pdf",
            "sha256": "0" * 64,
            "media_type": "application/pdf",
            "pages": 1,
            "text_source": "text-layer",
        },
    }
    with pytest.raises(ValidationError):
        DispatchRecord(**base, unknown_field=1)
    rec = DispatchRecord(**base, issuer="U\u0309Y BAN \u00d0", number_symbol="12 / UBND-VX")
    assert rec.issuer == "ỦY BAN Đ"
    assert rec.number_symbol == "12/UBND-VX"
