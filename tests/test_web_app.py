"""``vanthu web``'s routes (Starlette's TestClient): the letters and their search, one
letter with its page images and boxes, the tasks closed and reopened in the store, the
register and its downloads, the errors; the command's start (banner, no store, port in use)."""

from __future__ import annotations

import re
import shutil
import socket
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.flows.inbox import Layout
from vanthu.flows.store import default_url, open_store
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.i18n import translator
from vanthu.web.app import WebConfig, create_app
from vanthu.web.server import banner

TODAY = date(2024, 11, 20)  # after 15/11 (88/TB-SNV item II.1 overdue), before 30/11
RECORDS = {p.name.removesuffix(".expected.json"): p for p in sorted(SAMPLES.glob("*.expected.json"))}


def _record(name: str) -> DispatchRecord:
    return DispatchRecord.model_validate_json(RECORDS[name].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A tree whose store holds the samples' records, their originals in done/ (the seed
    letter's .md has no page images), their JSON in out/."""
    layout = Layout.under(tmp_path_factory.mktemp("web") / "root").ensure()
    with open_store(default_url(layout.root)) as db:
        for name in RECORDS:
            record = _record(name)
            original = SAMPLES / record.source.file
            shutil.copy(original, layout.done / original.name)
            out = layout.out / f"{name}.json"
            out.write_text(record.to_json(), encoding="utf-8")
            db.save_document(record, file=record.source.file, out_path=str(out))
            db.mark_done(record.source.sha256, str(layout.done / original.name))
    return layout.root


@pytest.fixture
def client(root: Path, tmp_path: Path) -> TestClient:
    config = WebConfig(store_url=default_url(root), root=root, cache=tmp_path / "cache", today=lambda: TODAY)
    return TestClient(create_app(config))


def _numbers(html: str) -> list[str]:
    return re.findall(r'<td class="num"><a href="/letters/[0-9a-f]{64}">([^<]*)</a>', html)


def _sha(name: str) -> str:
    return _record(name).source.sha256


def test_the_list_shows_every_letter_newest_first(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    records = sorted((_record(n) for n in RECORDS), key=lambda r: r.date or "", reverse=True)
    assert _numbers(page.text) == [r.number_symbol for r in records]
    for r in records:
        assert r.subject in page.text.replace("&#34;", '"')


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("88/TB-SNV", ["88/TB-SNV"]),  # the number and symbol
        ("tb-snv", ["88/TB-SNV"]),  # in lower case
        ("so hoa ho so", ["19/QĐ-UBND"]),  # the subject without its accents
        ("SỐ HÓA", ["19/QĐ-UBND"]),  # with them, in capitals
        ("hang bo", ["/UBND-VP"]),  # the issuer (ỦY BAN NHÂN DÂN PHƯỜNG HÀNG BỒ)
        ("ubnd an toan thuc pham", ["/UBND-VP"]),  # every word, anywhere
        ("lang son cchc", ["/UBND-NV"]),
        ("không có văn bản này", []),
    ],
)
def test_search_by_number_subject_or_issuer_ignores_case_and_accents(client, query, found) -> None:
    page = client.get("/", params={"q": query})
    assert page.status_code == 200
    assert _numbers(page.text) == found
    if not found:
        assert translator("vi")("No letter matches this search.") in page.text


def test_the_page_is_in_vietnamese_unless_told(root: Path, tmp_path: Path) -> None:
    vi = TestClient(create_app(WebConfig(store_url=default_url(root), root=root, cache=tmp_path))).get("/")
    assert '<html lang="vi">' in vi.text and "Văn bản đến" in vi.text and "Incoming letters" not in vi.text
    config = WebConfig(store_url=default_url(root), root=root, lang="en", cache=tmp_path)
    en = TestClient(create_app(config)).get("/")
    assert '<html lang="en">' in en.text and "Incoming letters" in en.text


@pytest.mark.parametrize(
    ("env", "lang"),
    [({}, None), ({"LANG": "en_US.UTF-8"}, None), ({"VANTHU_LANG": "en"}, "en"), ({"VANTHU_LANG": " "}, None)],
)
def test_only_an_explicit_vanthu_lang_changes_the_web_language(env, lang) -> None:
    from vanthu.pipeline.settings import explicit_language

    assert explicit_language(env) == lang


def test_a_letter_shows_its_fields_page_images_boxes_and_tasks(client: TestClient) -> None:
    sha = _sha("tb-so-2024-88")
    record = _record("tb-so-2024-88")
    page = client.get(f"/letters/{sha}")
    assert page.status_code == 200
    html = page.text
    for value in (record.number_symbol, record.issuer, record.subject, record.date):
        assert f'<span class="value">{value}</span>' in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == record.source.pages
    boxed = {ptr for ptr, e in record.provenance.items() if e.bbox is not None}
    assert set(re.findall(r'<div class="box[^"]*" data-ptr="([^"]+)"', html)) == boxed
    picture = client.get(f"/letters/{images[0]}")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
    rows = re.findall(r'<tr class="task( overdue)?" data-ptr="([^"]+)" data-task="([^"]+)"', html)
    assert sorted(r[2] for r in rows) == sorted(t.task_id for t in record.tasks)
    overdue = {t.task_id for t in record.tasks if t.due and t.due < TODAY.isoformat()}
    assert {r[2] for r in rows if r[0]} == overdue and overdue
    assert all(r[1].startswith("/assignments/") for r in rows)  # each task highlights its item's box


def test_a_letter_without_page_images_says_why(client: TestClient) -> None:
    page = client.get(f"/letters/{_sha('seed-cv-ubnd-langson')}")
    assert page.status_code == 200
    assert "<img" not in page.text and "text file" in page.text  # the review's notice


@pytest.mark.parametrize(
    "path",
    [
        "/letters/" + "0" * 64,
        "/letters/not-a-letter",
        "/letters/" + "0" * 64 + "/page-1.png",
        "/letters/{sha}/page-9.png",
        "/letters/{sha}/..%2F..%2Fvanthu.db",
        "/no/such/page",
        "/download/nothing",
    ],
)
def test_unknown_letters_and_files_are_404(client: TestClient, path: str) -> None:
    client.get(f"/letters/{_sha('tb-so-2024-88')}")  # its images rendered
    page = client.get(path.format(sha=_sha("tb-so-2024-88")))
    assert page.status_code == 404
    assert translator("vi")("Not found on this web page") in page.text


def _status_in_store(root: Path, task_id: str) -> str:
    with open_store(default_url(root)) as db:
        return next(t["status"] for t in db.tasks() if t["task_id"] == task_id)


def test_closing_and_reopening_a_task_persists_in_the_store(client: TestClient, root: Path) -> None:
    task = _record("qd-ubnd-huyen-2024-19").tasks[0]
    back = f"/letters/{_sha('qd-ubnd-huyen-2024-19')}"
    done = client.post(f"/tasks/{task.task_id}", data={"status": "done", "back": back}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == back
    assert _status_in_store(root, task.task_id) == "done"
    page = client.get(back).text
    assert re.search(rf'class="reopen-task" data-task="{task.task_id}"', page)

    tasks = client.get("/tasks", params={"show": "all"}).text
    assert f'data-task="{task.task_id}" data-status="done"' in tasks
    assert f'data-task="{task.task_id}"' not in client.get("/tasks").text  # the open ones only

    again = client.post(f"/tasks/{task.task_id}", data={"status": "open", "back": "/tasks"}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/tasks"
    assert _status_in_store(root, task.task_id) == "open"


@pytest.mark.parametrize(
    ("task_id", "form", "code"),
    [
        ("task:0000000000000000", {"status": "done"}, 404),
        (None, {"status": "deleted"}, 400),
        (None, {}, 400),
    ],
)
def test_a_bad_task_change_changes_nothing(client, root, task_id, form, code) -> None:
    task = _record("tb-so-2024-88").tasks[0]
    before = _status_in_store(root, task.task_id)
    answer = client.post(f"/tasks/{task_id or task.task_id}", data=form, follow_redirects=False)
    assert answer.status_code == code
    assert _status_in_store(root, task.task_id) == before


def test_the_redirect_stays_on_this_site(client: TestClient, root: Path) -> None:
    task = _record("tb-so-2024-88").tasks[0]
    answer = client.post(
        f"/tasks/{task.task_id}", data={"status": "open", "back": "//evil.example/x"}, follow_redirects=False
    )
    assert answer.headers["location"] == "/tasks"


def test_the_tasks_page_marks_the_overdue_ones(client: TestClient) -> None:
    with_store = client.get("/tasks", params={"show": "overdue"}).text
    rows = re.findall(r'<tr class="task( overdue)?" data-task="([^"]+)"', with_store)
    expected = {t.task_id for name in RECORDS for t in _record(name).tasks if t.due and t.due < TODAY.isoformat()}
    assert {r[1] for r in rows} == expected and all(r[0] for r in rows)
    assert with_store.count(f'<span class="overdue-mark">{translator("vi")("Overdue task")}</span>') == len(expected)


@pytest.mark.parametrize(
    ("host", "shared"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True), ("192.168.1.20", True)],
)
def test_the_banner_says_who_can_reach_the_page(host: str, shared: bool) -> None:
    lines = banner(host, 8080)
    assert lines[0].startswith("vanthu web: serving http://")
    assert ("only this computer" in lines[0]) is not shared
    assert (len(lines) == 2 and "warning" in lines[1]) is shared


def test_the_default_banner_is_the_documented_line() -> None:
    assert banner("127.0.0.1", 8080) == [
        "vanthu web: serving http://127.0.0.1:8080 (only this computer; use --host 0.0.0.0 to share on the network)"
    ]


def test_a_root_without_a_store_is_a_named_error(tmp_path: Path, capsys) -> None:
    assert main(["web", str(tmp_path)]) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert f"{tmp_path / 'vanthu.db'}:" in err and "vanthu watch ROOT" in err


def test_a_port_in_use_is_a_clear_error(root: Path, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["web", str(root), "--port", str(port)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}:" in err and "--port" in err


def test_a_store_that_cannot_be_read_is_a_page_saying_so(tmp_path: Path) -> None:
    bad = tmp_path / "store.db"
    bad.write_bytes(b"this is no SQLite database" * 100)
    config = WebConfig(store_url=str(bad), root=tmp_path, cache=tmp_path / "cache")
    page = TestClient(create_app(config), raise_server_exceptions=False).get("/")
    assert page.status_code == 503 and "<html" in page.text and str(bad) in page.text


# ------------------------------------------------------------------ links and downloads


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """Three letters read through the pipeline and stored; ``cites`` cites ``cited``."""
    from tests.support.stored import stored_tree

    return stored_tree(tmp_path_factory.mktemp("linked"))


@pytest.fixture
def linked_client(linked, tmp_path: Path) -> TestClient:
    root, _ = linked
    return TestClient(create_app(WebConfig(store_url=default_url(root), root=root, cache=tmp_path / "cache")))


def _link_targets(html: str, kind: str) -> list[str]:
    return re.findall(rf'<li class="{kind}"><a href="/letters/([0-9a-f]{{64}})">', html)


def test_a_letter_shows_the_letters_it_cites_and_those_citing_it(linked, linked_client) -> None:
    _, records = linked
    cites, cited, other = (records[n].source.sha256 for n in ("cites", "cited", "other"))
    citing_page = linked_client.get(f"/letters/{cites}").text
    assert _link_targets(citing_page, "cites") == [cited] and _link_targets(citing_page, "cited-by") == []
    assert records["cites"].references[0].text in citing_page
    cited_page = linked_client.get(f"/letters/{cited}").text
    assert _link_targets(cited_page, "cited-by") == [cites] and _link_targets(cited_page, "cites") == []
    lonely = linked_client.get(f"/letters/{other}").text
    assert translator("vi")("No link to another stored letter.") in lonely


def _without_stamps(ics: bytes) -> list[bytes]:
    return [line for line in ics.splitlines() if not line.startswith(b"DTSTAMP")]


def test_the_tasks_calendar_is_the_one_vanthu_tasks_writes(linked, linked_client, capsysbinary, monkeypatch) -> None:
    root, _ = linked
    monkeypatch.setenv("VANTHU_LANG", "vi")  # the page's language (its fixed words "Văn bản", "Thời hạn")
    answer = linked_client.get("/download/tasks.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert "attachment" in answer.headers["content-disposition"]
    assert main(["tasks", str(root), "--format", "ics"]) == ExitCode.OK
    assert _without_stamps(answer.content) == _without_stamps(capsysbinary.readouterr().out)
    assert answer.content.count(b"BEGIN:VTODO") >= 2


def test_a_letters_edxml_is_the_one_vanthu_export_writes(linked, linked_client, tmp_path: Path, capsys) -> None:
    root, records = linked
    sha = records["cites"].source.sha256
    answer = linked_client.get(f"/letters/{sha}/edxml")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/xml"
    assert "cites.xml" in answer.headers["content-disposition"]
    assert main(["export", str(root), "--format", "edxml", "--out", str(tmp_path / "x")]) == ExitCode.OK
    assert answer.content == (tmp_path / "x" / "cites.xml").read_bytes()
    assert b"1234/UBND-KT" in answer.content  # the cited letter (ResponseFor)
    assert linked_client.get("/letters/" + "0" * 64 + "/edxml").status_code == 404


# ------------------------------------------------------------------ the register


def test_the_register_lists_every_letter_with_its_arrival_number(client: TestClient, root: Path) -> None:
    page = client.get("/register")
    assert page.status_code == 200
    rows = re.findall(
        r'<tr class="entry" data-sha256="([0-9a-f]{64})">\s*<td>[^<]*</td>\s*<td class="num arrival">(\d+)', page.text
    )
    with open_store(default_url(root)) as db:
        stored = [(d["sha256"], str(d["arrival_number"])) for d in db.register()]
    assert rows == stored and len(rows) == len(RECORDS)
    assert sorted(int(n) for _, n in rows) == list(range(1, len(RECORDS) + 1))
    for sha, _ in rows:
        assert f'<a href="/letters/{sha}">' in page.text


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_register_downloads_are_vanthu_registers(client, root, tmp_path, capsysbinary, monkeypatch) -> None:
    monkeypatch.delenv("VANTHU_LANG")  # both in Vietnamese by default, whatever the locale
    xlsx = client.get("/download/register.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.headers["content-disposition"].startswith("attachment;")
    assert main(["register", str(root), "--out", str(tmp_path / "so-den.xlsx")]) == ExitCode.OK
    assert _sheets(xlsx.content) == _sheets((tmp_path / "so-den.xlsx").read_bytes())
    assert len(next(iter(_sheets(xlsx.content).values()))) == 1 + len(RECORDS)

    csv = client.get("/download/register.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    capsysbinary.readouterr()
    assert main(["register", str(root), "--format", "csv"]) == ExitCode.OK
    assert csv.content == capsysbinary.readouterr().out and csv.content.startswith(b"\xef\xbb\xbf")

    ics = client.get("/download/tasks.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")


def test_a_register_year_without_letters_is_404(client: TestClient) -> None:
    assert client.get("/register", params={"year": "1999"}).status_code == 404
    assert client.get("/download/register.xlsx", params={"year": "1999"}).status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "no_year"),
    [
        ("vi", "Tên loại và trích yếu nội dung", "không có văn bản nào đến trong năm 1999"),
        ("en", "Type and summary of content", "no letter arrived in 1999"),
    ],
)
def test_the_register_page_speaks_the_page_s_language(root: Path, tmp_path: Path, lang, heading, no_year) -> None:
    web = TestClient(create_app(WebConfig(store_url=default_url(root), root=root, lang=lang, cache=tmp_path)))
    assert f"<th>{heading}</th>" in web.get("/register").text
    missing = web.get("/register", params={"year": "1999"})
    assert missing.status_code == 404 and no_year in missing.text


def test_an_unknown_page_shows_no_english_status_phrase(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "Not Found" not in page.text
