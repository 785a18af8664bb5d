"""read/signatures.py: the digital signatures of a signed PDF (pyHanko), and the day a
signature witnesses when the printed day cannot be read.

Every signed letter here is signed in the test: a key and a self-signed certificate made
with ``cryptography``, a letter rendered by ``vanthu.samplegen``, signed by pyHanko."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, load_renderer
from vanthu.models import Signature
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.fields.dates import witnessed_date
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.read.signatures import has_signature, personal_signing_times, read_signatures
from vanthu.pipeline.settings import Settings, load_settings

SIGNER = "Nguyễn Văn Hạnh"
ORGANISATION = "ỦY BAN NHÂN DÂN PHƯỜNG HÀNG BỒ"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
SIGNED = dt.datetime(2024, 8, 19, 9, 30, 0, tzinfo=VIETNAM)


@pytest.fixture(scope="module")
def identity(tmp_path_factory) -> tuple[Path, Path]:
    """(key.pem, cert.pem): an RSA key and a self-signed certificate for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("identity")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, SIGNER),
        ]
    )
    usage = x509.KeyUsage(True, True, False, False, False, True, True, False, False)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem, cert_pem = folder / "key.pem", folder / "cert.pem"
    key_pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_pem, cert_pem


def _letter(path: Path, place_date: str = "Hàng Bồ, ngày 19 tháng 8 năm 2024") -> Path:
    layout = json.loads((SAMPLES / "src" / "cv-khan-ubnd-phuongx.json").read_text(encoding="utf-8"))
    layout["place_date"] = place_date
    load_renderer().render_letter(layout, path)
    return path


def _sign(pdf: Path, out: Path, identity: tuple[Path, Path], monkeypatch, when: dt.datetime = SIGNED) -> Path:
    """``pdf`` signed at ``when`` (the time the signing software reports)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers import pdf_signer

    class At(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return when

    monkeypatch.setattr(pdf_signer, "datetime", At)
    signer = signers.SimpleSigner.load(str(identity[0]), str(identity[1]))
    with open(pdf, "rb") as inf, open(out, "wb") as outf:
        writer = IncrementalPdfFileWriter(inf, strict=False)
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer, output=outf)
    monkeypatch.undo()
    return out


@pytest.fixture
def signed(tmp_path: Path, identity, monkeypatch) -> Path:
    return _sign(_letter(tmp_path / "letter.pdf"), tmp_path / "signed.pdf", identity, monkeypatch)


def _read(pdf: Path, settings: Settings | None = None):
    return read_signatures(load_input(pdf), settings or Settings())


def test_a_signature_is_read(signed: Path) -> None:
    sigs = _read(signed)
    assert [s.model_dump() for s in sigs] == [
        {
            "signer": SIGNER,
            "organisation": ORGANISATION,
            "signed_at": "2024-08-19T09:30:00+07:00",
            "intact": True,
            "trusted": None,  # no CA bundle configured: trust is not judged
        }
    ]


def test_the_record_carries_the_signatures_and_no_warning_for_them(signed: Path) -> None:
    rec = extract_file(signed)
    assert [s.signer for s in rec.signatures] == [SIGNER]
    assert rec.date == "2024-08-19" and rec.date_source == "printed"
    assert not any("Chữ ký số" in w for w in rec.warnings)


def test_content_changed_after_signing_is_not_intact(signed: Path, tmp_path: Path) -> None:
    """An incremental update that rewrites the page's text is no allowed change."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    tampered = tmp_path / "tampered.pdf"
    with open(signed, "rb") as inf:
        writer = IncrementalPdfFileWriter(inf, strict=False)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (Sua noi dung) Tj ET")
        page["/Contents"] = writer.add_object(stream)
        writer.update_container(page)
        with open(tampered, "wb") as outf:
            writer.write(outf)
    sigs = _read(tampered)
    assert [(s.signer, s.intact) for s in sigs] == [(SIGNER, False)]
    rec = extract_file(tampered)
    assert any("Chữ ký số thứ 1" in w and "thay đổi sau khi ký" in w for w in rec.warnings)


def test_bytes_appended_after_signing_are_not_intact(signed: Path, tmp_path: Path) -> None:
    """Bytes added after the signed revision that are no valid revision at all."""
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    assert [s.intact for s in _read(appended)] == [False]


def test_a_ca_bundle_holding_the_certificate_makes_it_trusted(signed: Path, identity, tmp_path: Path) -> None:
    settings = load_settings({"VANTHU_CA_BUNDLE": str(identity[1])})
    assert settings.read.ca_bundle == identity[1]
    assert [s.trusted for s in _read(signed, settings)] == [True]


def test_a_ca_bundle_without_the_certificate_does_not_trust_it(signed: Path, tmp_path: Path, monkeypatch) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Một CA khác")])
    other = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    sigs = _read(signed, load_settings({"VANTHU_CA_BUNDLE": str(bundle)}))
    assert [(s.intact, s.trusted) for s in sigs] == [(True, False)]


def test_an_unsigned_pdf_has_no_signatures(tmp_path: Path) -> None:
    pdf = _letter(tmp_path / "plain.pdf")
    assert not has_signature(pdf)
    assert _read(pdf) == []
    assert extract_file(pdf).signatures == []


def test_a_broken_signature_is_recorded_not_fatal(signed: Path, tmp_path: Path) -> None:
    """The signature's value overwritten: the letter is still read, the signature is
    recorded as not intact, with a warning."""
    data = bytearray(signed.read_bytes())
    start = data.index(b"/Contents <") + len(b"/Contents <")
    data[start : start + 400] = b"0" * 400
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    rec = extract_file(broken)
    assert [s.intact for s in rec.signatures] == [False]
    assert any(w.startswith("Chữ ký số thứ 1") for w in rec.warnings)
    assert rec.number_symbol == "/UBND-VP"  # the letter itself is read as ever


def test_an_unparseable_signature_dictionary_is_recorded_not_fatal(tmp_path: Path) -> None:
    """A file with a /ByteRange that pyHanko cannot parse (bytes after its cross-reference
    offset), but that the PDF readers read: one signature, not intact, unknown signer."""
    pdf = _letter(tmp_path / "plain.pdf")
    odd = tmp_path / "odd.pdf"
    odd.write_bytes(pdf.read_bytes().replace(b"%%EOF", b"% /ByteRange [0 1 2 3]\n%%EOF", 1))
    rec = extract_file(odd)
    assert rec.issuer is not None
    assert [s.model_dump() for s in rec.signatures] == [
        {"signer": None, "organisation": None, "signed_at": None, "intact": False, "trusted": None}
    ]
    assert any("không đọc được chữ ký" in w for w in rec.warnings)


def test_the_signing_day_witnesses_an_unreadable_printed_day(tmp_path: Path, identity, monkeypatch) -> None:
    """The day left blank (as the pen would fill it): the signature's day is the letter's,
    since its month and year agree with the printed ones, and a warning says so."""
    pdf = _letter(tmp_path / "blank.pdf", "Hàng Bồ, ngày      tháng 8 năm 2024")
    rec = extract_file(_sign(pdf, tmp_path / "signed.pdf", identity, monkeypatch))
    assert (rec.date, rec.date_source) == ("2024-08-19", "signature")
    assert any("thời điểm ký số (19/08/2024)" in w for w in rec.warnings)
    assert [t.document.date for t in rec.tasks][:1] in ([], ["2024-08-19"])


def test_a_signature_of_another_month_witnesses_nothing(tmp_path: Path, identity, monkeypatch) -> None:
    pdf = _letter(tmp_path / "blank.pdf", "Hàng Bồ, ngày      tháng 7 năm 2024")
    rec = extract_file(_sign(pdf, tmp_path / "signed.pdf", identity, monkeypatch))
    assert (rec.date, rec.date_source) == (None, None)


def _sig(
    signer: str | None, organisation: str | None, signed_at: str | None = "2024-11-15T17:30:10+07:00", intact=True
):
    return Signature(signer=signer, organisation=organisation, signed_at=signed_at, intact=intact)


@pytest.mark.parametrize(
    ("signature", "witness"),
    [
        (_sig("Phùng Tô Long", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"), True),  # a person's certificate
        (_sig("Ủy ban nhân dân tỉnh Quảng Ngãi", "Tỉnh Quảng Ngãi"), False),  # the office's, at issue
        (_sig("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"), False),  # the publisher's
        (_sig("Phùng Tô Long", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", intact=False), False),  # changed since
        (_sig("Phùng Tô Long", None, signed_at=None), False),  # no time
        (_sig(None, None), False),
    ],
)
def test_only_a_persons_intact_signature_witnesses_a_date(signature: Signature, witness: bool) -> None:
    assert personal_signing_times([signature]) == ([signature.signed_at] if witness else [])


@pytest.mark.parametrize(
    ("date_text", "signed_at", "expected"),
    [
        ("ngày tháng 11 năm 2024", ["2024-11-15T17:30:10+07:00"], "2024-11-15"),  # day blank, month/year agree
        ("ngày 42 tháng 11 năm 2024", ["2024-11-15T17:30:10+07:00"], "2024-11-15"),  # day impossible
        ("ngày ..... tháng 11 năm 2024", ["2024-11-17T16:07:12+07:00", "2024-11-15T17:30:10+07:00"], "2024-11-15"),
        ("ngày tháng 12 năm 2024", ["2024-11-15T17:30:10+07:00"], None),  # month differs
        ("ngày tháng 11 năm 2023", ["2024-11-15T17:30:10+07:00"], None),  # year differs
        ("ngày tháng 11 năm 2024", ["2024-12-02T08:00:00+07:00", "2024-11-29T08:00:00+07:00"], "2024-11-29"),
        ("ngày tháng 11 năm 2024", ["2024-12-02T08:00:00+07:00"], None),  # only a later month's signature
        ("ngày … tháng … năm …", ["2024-11-15T17:30:10+07:00"], None),  # no month or year printed
        ("ngày tháng 11 năm 2024", [], None),  # not signed
        ("ngày tháng 11 năm 2024", [None], None),  # a signature without a time
        (None, ["2024-11-15T17:30:10+07:00"], None),  # no date line
    ],
)
def test_witnessed_date(date_text: str | None, signed_at: list[str | None], expected: str | None) -> None:
    assert witnessed_date(date_text, signed_at) == expected
