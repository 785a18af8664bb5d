"""Stage 1: identify an input file by its bytes (never by its extension)."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path

from vanthu.models.document import InputFile
from vanthu.pipeline.errors import EmptyFile, InputNotFound, TooLarge, UnsupportedFormat
from vanthu.pipeline.i18n import N_, _

DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # the default of Settings.limits.max_mb
# Names of files a folder walk (extract, eval) takes for letters; any other file is
# still identified by its bytes when named on the command line.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
DOC_SUFFIXES = frozenset({".pdf", ".txt", ".md"}) | IMAGE_SUFFIXES

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]
_FOREIGN: list[tuple[bytes, str, str]] = [
    (b"\xd0\xcf\x11\xe0", N_("a Word/Excel 97-2003 file"), N_("convert it to PDF first")),
    (b"{\\rtf", N_("an RTF document"), N_("convert it to PDF first")),
    (b"GIF8", N_("a GIF image"), N_("convert it to PNG or PDF first")),
    (b"RIFF", N_("a RIFF (WebP/AVI) file"), N_("convert it to PNG or PDF first")),
]


def sniff(head: bytes, path: Path) -> str:
    """The media type of a file from its first bytes."""
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    if head.startswith(b"PK\x03\x04"):
        kind = _("an Office document (DOCX/XLSX)") if _is_office(path) else _("a ZIP archive")
        raise UnsupportedFormat(
            path, _("this is {kind}, not a scan or PDF").format(kind=kind), hint=_("convert .docx to PDF first")
        )
    for magic, what, hint in _FOREIGN:
        if head.startswith(magic):
            raise UnsupportedFormat(path, _("this is {what}").format(what=_(what)), hint=_(hint))
    if _looks_like_text(head):
        return "text/markdown" if path.suffix.lower() == ".md" else "text/plain"
    raise UnsupportedFormat(path, _("unknown file format"))


def _is_office(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.startswith(("word/", "xl/", "ppt/")) for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte char cut at the end of the sample
        if exc.start < len(head) - 4:
            return False
        text = head[: exc.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.95


def load_input(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> InputFile:
    """Check that ``path`` is a regular, non-empty, supported file and fingerprint it.

    The file is opened read-only and never modified. Symbolic links and FIFOs, sockets
    and devices are refused (a FIFO is never opened for a blocking read).
    """
    p = Path(path)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        lst = p.lstat()
    except FileNotFoundError:
        raise InputNotFound(p, _("no such file")) from None
    except OSError as exc:
        raise InputNotFound(p, _("cannot be read: {why}").format(why=exc.strerror or exc)) from None
    if stat.S_ISLNK(lst.st_mode):
        raise UnsupportedFormat(
            p, _("is a symbolic link; links are not followed"), hint=_("pass the file it points to, or copy it here")
        ) from None
    _check_kind(p, lst)
    try:
        # O_NOFOLLOW: the name cannot be swapped for a link between lstat and open;
        # O_NONBLOCK: a FIFO swapped in cannot block the open.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputNotFound(p, _("cannot be read: {why}").format(why=exc.strerror or exc)) from None
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            _check_kind(p, st)
            if st.st_size == 0:
                raise EmptyFile(p, _("the file is empty (0 bytes)"))
            if st.st_size > limit:
                raise TooLarge(
                    p,
                    _("the file is {size:.0f} MB, over the {limit:.0f} MB limit").format(
                        size=st.st_size / 2**20, limit=limit / 2**20
                    ),
                )
            head = fh.read(4096)
            digest.update(head)
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputNotFound(p, _("cannot be read: {why}").format(why=exc.strerror or exc)) from None
    media = sniff(head, p)
    return InputFile(path=str(p), name=p.name, sha256=digest.hexdigest(), media_type=media, size=st.st_size)


def _check_kind(p: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise UnsupportedFormat(
            p, _("is a folder"), hint=_("pass files, or a folder to `vanthu extract` to take its letters")
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsupportedFormat(
            p, _("is not a regular file (a FIFO, socket or device)"), hint=_("copy the letter into a real file")
        )
