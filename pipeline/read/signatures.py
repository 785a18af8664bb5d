"""The digital signatures (chữ ký số) of a signed PDF, read with pyHanko.

For each signature: who signed (the certificate subject's CN and O), when (the
timestamp token's time when there is one, else the time the signing software reported),
whether the document is still what was signed (``intact``), and, only when a CA bundle
is configured (``VANTHU_CA_BUNDLE``), whether the certificate chains to one of its roots
(``trusted``; otherwise null: no roots are shipped).

``intact`` is strict: the digest over the signed bytes matches, the signature value is
cryptographically valid, AND either the signature covers the entire file, or the
revisions added after it change nothing beyond what pyHanko's difference analysis
allows under the document's DocMDP level (form filling and further signatures, which is
how a records office stamps the number and date and signs again). Any other later change
(a page's content, an annotation where only forms are allowed) makes it False.

Not checked: revocation (no OCSP or CRL is fetched: nothing is downloaded at run time),
certificate validity periods against a trusted time, and any trust without a bundle.

pyHanko is imported only when the file holds a signature dictionary (``/ByteRange``):
its import takes seconds, and most letters are not signed. A signature that cannot be
parsed never fails the extraction: it is recorded with ``intact=False`` (and a warning,
``pipeline/warnings.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
import mmap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vanthu.models.document import InputFile
from vanthu.models.record import Signature
from vanthu.pipeline.errors import UsageError
from vanthu.pipeline.i18n import _
from vanthu.pipeline.layout.cues import PERSON_NAME
from vanthu.pipeline.settings import Settings

log = logging.getLogger(__name__)

#: Letters are dated in Vietnam time; signing times are given in it.
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))
#: Every signature dictionary has one (its /Contents must stay out of the digest, so it
#: is never compressed into an object stream).
SIGNATURE_MARKER = b"/ByteRange"


def has_signature(path: str | Path) -> bool:
    """The file holds a signature dictionary (a cheap byte search, no PDF parsing)."""
    with open(path, "rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return data.find(SIGNATURE_MARKER) >= 0
        except ValueError:  # an empty file cannot be mapped
            return False


def load_pyhanko() -> None:
    """Import the parts of pyHanko the reading uses (the workers' forkserver does it once:
    most letters arrive signed, and the import takes about half a second)."""
    import pyhanko.keys  # noqa: F401
    import pyhanko.pdf_utils.reader  # noqa: F401
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401


def read_signatures(inp: InputFile, settings: Settings) -> list[Signature]:
    """The signatures of a PDF, in the order of their fields; [] for anything else."""
    if inp.media_type != "application/pdf" or not has_signature(inp.path):
        return []
    _quiet_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader

    context = _context(settings.read.ca_bundle)
    try:
        with open(inp.path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            embedded = list(reader.embedded_signatures)
            return [_one(sig, context, settings.read.ca_bundle is not None) for sig in embedded]
    except Exception as exc:  # noqa: BLE001 - a damaged signature is noted, never fatal
        log.info("%s: signatures not readable: %s", inp.path, exc)
        return [Signature(intact=False)]


def _quiet_pyhanko() -> None:
    """pyHanko logs every failed check with a traceback; the record says it instead."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _context(ca_bundle: Path | None) -> Any:
    """A validation context that fetches nothing: the bundle's roots, or none. A bundle
    that cannot be read is a usage error naming the setting."""
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = []
    if ca_bundle is not None:
        try:
            roots = list(load_certs_from_pemder([str(ca_bundle)]))
        except (OSError, ValueError) as exc:
            raise UsageError(
                "VANTHU_CA_BUNDLE",
                _("{bundle}: not a PEM or DER certificate bundle ({why})").format(bundle=ca_bundle, why=exc),
            ) from None
        if not roots:
            raise UsageError("VANTHU_CA_BUNDLE", _("{bundle}: no certificate in the bundle").format(bundle=ca_bundle))
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _one(sig: Any, context: Any, with_roots: bool) -> Signature:
    signer, organisation = _subject(sig)
    try:
        signed_at = _iso(sig.self_reported_timestamp)
    except Exception:  # noqa: BLE001
        signed_at = None
    try:
        from pyhanko.sign.validation import validate_pdf_signature

        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001 - a broken signature: recorded, not raised
        log.info("signature %s not validated: %s", getattr(sig, "field_name", "?"), exc)
        return Signature(signer=signer, organisation=organisation, signed_at=signed_at, intact=False)
    stamped = getattr(status, "timestamp_validity", None)
    if stamped is not None and getattr(stamped, "timestamp", None) is not None:
        signed_at = _iso(stamped.timestamp)
    return Signature(
        signer=signer,
        organisation=organisation,
        signed_at=signed_at,
        intact=_intact(status),
        trusted=bool(status.trusted) if with_roots else None,
    )


def _intact(status: Any) -> bool:
    """The signed bytes unchanged, and nothing added after them beyond what DocMDP allows."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not (status.intact and status.valid):
        return False
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)


def _subject(sig: Any) -> tuple[str | None, str | None]:
    """(CN, O) of the signer's certificate; (None, None) when it cannot be read."""
    try:
        subject = sig.signer_cert.subject.native
    except Exception:  # noqa: BLE001
        return None, None
    return _text(subject.get("common_name")), _text(subject.get("organization_name"))


def _text(value: object) -> str | None:
    if isinstance(value, list):  # a repeated attribute: the first
        value = value[0] if value else None
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM_TIME)
    return moment.isoformat(timespec="seconds")


def personal_signing_times(signatures: Sequence[Signature]) -> list[str]:
    """The signing times of the intact signatures made with a person's certificate (its
    CN has the shape of a name, "Phùng Tô Long"). An organisation's certificate ("Ủy ban
    nhân dân tỉnh …") is applied by the records office when the letter is issued, often
    days after the date the signer wrote, so it witnesses no date."""
    return [
        s.signed_at
        for s in signatures
        if s.intact and s.signed_at and s.signer and PERSON_NAME.match(s.signer) and s.signer != s.organisation
    ]
