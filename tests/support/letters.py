"""Letters written inline as plain text, in the layout of the seed letter
(``../shared/seed/letter.md``): each printed block is one or more lines, blocks are
separated by blank lines. They go through the whole pipeline via
``vanthu.pipeline.extract.extract_file``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vanthu.models import DispatchRecord
from vanthu.pipeline.extract import extract_file

ISSUER = ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGNER = ("CHỦ TỊCH", "", "Nguyễn Văn Hạnh")
DISTRIBUTION = ("Nơi nhận:", "", "- Như trên;", "- Lưu: VT, VP.")
CLOSING = "UBND thành phố đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./."
STAMP = "ĐẾN\nSố: 2771\nNgày: 05/9/2024"


def letter(
    *,
    issuer: tuple[str, ...] = ISSUER,
    motto: tuple[str, ...] = MOTTO,
    before_number: tuple[str, ...] = (),
    number: str = "Số: 12/UBND-VX",
    place_date: str = "TP. Lạng Sơn, ngày 15 tháng 8 năm 2024",
    marks: tuple[str, ...] = (),
    title: tuple[str, ...] = (),
    subject: tuple[str, ...] = ("V/v triển khai nhiệm vụ năm 2024",),
    recipients: tuple[str, ...] = ("Kính gửi: Sở Tài chính.",),
    body: tuple[str, ...] = ("1. Tăng cường công tác tuyên truyền.",),
    closing: str | None = CLOSING,
    distribution: tuple[str, ...] = DISTRIBUTION,
    signer: tuple[str, ...] = SIGNER,
) -> str:
    """A plain-text letter: blocks in the order of Phụ lục I, separated by blank lines.
    A block given as a tuple is printed as consecutive lines; ``body`` items are
    separate paragraphs (each may hold '\\n' for a wrapped line)."""
    blocks: list[str] = ["\n".join(issuer), "\n".join(motto)]
    blocks += list(before_number)
    blocks += [number, place_date]
    blocks += list(marks)
    if title:
        blocks.append("\n\n".join(title))
    if subject:
        blocks.append("\n".join(subject))
    if recipients:
        blocks.append("\n".join(recipients))
    blocks += list(body)
    if closing:
        blocks.append(closing)
    if distribution:
        blocks.append("\n".join(distribution))
    if signer:
        blocks.append("\n".join(signer))
    return "\n\n".join(blocks) + "\n"


def extractor(tmp_path: Path) -> Callable[..., DispatchRecord]:
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path (a test
    module's ``extract`` fixture returns it)."""
    counter = iter(range(10_000))

    def run(text: str, name: str = "letter.md", *, encoding: str = "utf-8") -> DispatchRecord:
        folder = tmp_path / f"l{next(counter)}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return extract_file(path)

    return run


def decision(extract: Callable[..., DispatchRecord], *articles: str) -> DispatchRecord:
    """A Quyết định whose body is ``articles``."""
    return extract(
        letter(
            number="Số: 19/QĐ-UBND",
            title=("QUYẾT ĐỊNH", "Về việc ban hành Quy định hỗ trợ doanh nghiệp"),
            subject=(),
            recipients=(),
            closing=None,
            body=("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "QUYẾT ĐỊNH:", *articles),
            distribution=("Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, VP."),
            signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn B"),
        )
    )


def one_item(extract: Callable[..., DispatchRecord], item: str, **kw):
    """(record, its one assignment) of a letter whose body is ``item``."""
    rec = extract(letter(body=(item,), **kw))
    assert len(rec.assignments) == 1, [a.label for a in rec.assignments]
    return rec, rec.assignments[0]


def strings(value):
    """Every string (keys included) inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
