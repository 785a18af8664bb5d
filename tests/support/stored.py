"""A small ingestion tree for the commands that read the store (links, export, tasks):
three letters read through the pipeline, saved as ``ROOT/out/<name>.json`` and stored in
``ROOT/vanthu.db`` as the ingestion stores them. ``cites`` (120/UBND-VP, Khẩn, signed
"KT. CHỦ TỊCH") cites ``cited`` (1234/UBND-KT, Hỏa tốc, a task due "hằng tháng");
``other`` cites nothing and nobody cites it."""

from __future__ import annotations

from pathlib import Path

from tests.support.letters import extractor, letter
from vanthu.models import DispatchRecord

CITED = letter(
    issuer=("UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN", "QUẬN HOÀN KIẾM"),
    number="Số: 1234/UBND-KT",
    place_date="Hoàn Kiếm, ngày 05 tháng 8 năm 2024",
    marks=("HỎA TỐC",),
    body=("1. Phòng Kinh tế báo cáo kết quả thực hiện trước ngày 25 hằng tháng.",),
)
CITES = letter(
    issuer=("UBND QUẬN HOÀN KIẾM", "ỦY BAN NHÂN DÂN", "PHƯỜNG HÀNG BỒ"),
    number="Số: 120/UBND-VP",
    place_date="Hàng Bồ, ngày 19 tháng 8 năm 2024",
    marks=("KHẨN",),
    subject=("V/v tăng cường kiểm tra an toàn thực phẩm",),
    recipients=("Kính gửi:", "- Phòng Kinh tế;", "- Công an phường."),
    body=(
        "Thực hiện Công văn số 1234/UBND-KT ngày 05/8/2024 của UBND quận về việc tăng cường an toàn thực phẩm;",
        "1. Giao Phòng Kinh tế chủ trì rà soát các cơ sở, hoàn thành trước ngày 30/9/2024.",
        "2. Công an phường tổng hợp kết quả, báo cáo định kỳ hằng quý.",
    ),
    signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Trần Thị Minh Hoa"),
)
OTHER = letter(number="Số: 7/UBND-VX", place_date="TP. Lạng Sơn, ngày 02 tháng 7 năm 2024")
LETTERS = {"cited": CITED, "cites": CITES, "other": OTHER}


def stored_tree(folder: Path) -> tuple[Path, dict[str, DispatchRecord]]:
    """ROOT (``folder/root``) with out/ and vanthu.db holding the three letters."""
    from vanthu.flows.store import default_url, open_store

    extract = extractor(folder)
    root = folder / "root"
    (root / "out").mkdir(parents=True)
    records = {name: extract(text, f"{name}.md") for name, text in LETTERS.items()}
    with open_store(default_url(root)) as db:
        for name, record in records.items():
            out = root / "out" / f"{name}.json"
            out.write_text(record.to_json() + "\n", encoding="utf-8")
            db.save_document(record, file=f"{name}.md", out_path=str(out))
            db.mark_done(record.source.sha256, str(root / "done" / f"{name}.md"))
    return root, records
