"""One exception family. Each error carries its exit code and a message a user can act
on; ``vanthu.output`` is the single place that turns them into exit codes and lines."""

from __future__ import annotations

from enum import IntEnum

from vanthu.pipeline.i18n import N_, _


class ExitCode(IntEnum):
    """Exit codes of the ``vanthu`` command (documented in the README)."""

    OK = 0
    SOME_FAILED = 1  # several files failed for different reasons
    USAGE = 2
    NOT_FOUND = 3
    UNSUPPORTED_FORMAT = 4
    EMPTY_FILE = 5
    CORRUPT = 6
    ENCRYPTED = 7
    TOO_LARGE = 8
    TIMED_OUT = 9
    OCR_ENGINE = 10
    NO_TEXT = 11
    OUTPUT_NOT_WRITABLE = 12
    NOT_A_LETTER = 13
    INTERNAL = 70


class VanthuError(Exception):
    """Base of every error vanthu reports about an input or an output."""

    exit_code: ExitCode = ExitCode.INTERNAL
    hint: str = ""
    detail: str = ""  # what --debug shows: a traceback, or an engine's own message

    def __init__(self, path: object, reason: str, *, hint: str | None = None):
        self.path = str(path)
        self.reason = reason
        if hint is not None:
            self.hint = hint
        super().__init__(self.line())

    def __reduce__(self):
        # Rebuilt from its fields (not from ``args``) so the error crosses a process
        # boundary intact: the isolated worker sends it to the parent as it is.
        return (_rebuild, (type(self), self.path, self.reason, self.hint, dict(self.__dict__)))

    def line(self) -> str:
        """One line naming the file and the reason (and what to do, where we know)."""
        text = f"{self.path}: {self.reason}"
        return f"{text} ({_(self.hint)})" if self.hint else text


def _rebuild(cls: type[VanthuError], path: str, reason: str, hint: str, state: dict) -> VanthuError:
    exc = cls(path, reason, hint=hint)
    exc.__dict__.update(state)
    return exc


class UsageError(VanthuError):
    """A bad option or setting (e.g. a limit that is not a number)."""

    exit_code = ExitCode.USAGE


class InputNotFound(VanthuError):
    exit_code = ExitCode.NOT_FOUND


class UnknownTask(InputNotFound):
    """A task id the task store does not hold (``vanthu tasks --close``/``--reopen``); the
    path names the id(s)."""

    hint = N_("`vanthu tasks --format csv` lists the task ids")


class UnsupportedFormat(VanthuError):
    exit_code = ExitCode.UNSUPPORTED_FORMAT
    hint = N_("supported: PDF, PNG, JPEG, TIFF, .txt and .md letters")


class EmptyFile(VanthuError):
    exit_code = ExitCode.EMPTY_FILE
    hint = N_("was it copied completely?")


class CorruptInput(VanthuError):
    exit_code = ExitCode.CORRUPT
    hint = N_("re-scan it, or export it again from the program that made it")


class ReaderCrashed(CorruptInput):
    """The process reading the file died (a parser crashed on it)."""

    hint = N_("re-scan it, or export it again from the program that made it")


class EncryptedInput(VanthuError):
    exit_code = ExitCode.ENCRYPTED
    hint = N_("remove the password first, e.g. `qpdf --decrypt --password=PW in.pdf out.pdf`")


class TooLarge(VanthuError):
    exit_code = ExitCode.TOO_LARGE


class TimedOut(VanthuError):
    exit_code = ExitCode.TIMED_OUT


class OcrEngineError(VanthuError):
    exit_code = ExitCode.OCR_ENGINE
    hint = N_("install Tesseract with Vietnamese data: apt-get install tesseract-ocr tesseract-ocr-vie")


class NoTextFound(VanthuError):
    exit_code = ExitCode.NO_TEXT
    hint = N_("is the letter blank, or the scan too faint to read?")


class NotALetter(VanthuError):
    """A readable document that is no official letter: none of a letter's anchors and
    too little Vietnamese text (``fields.anchors``)."""

    exit_code = ExitCode.NOT_A_LETTER
    hint = N_("it has none of a letter's parts; if it is a letter, scan it again whole")


class OutputNotWritable(VanthuError):
    exit_code = ExitCode.OUTPUT_NOT_WRITABLE


class InternalError(VanthuError):
    """A bug: an exception no stage should raise. ``detail`` holds the traceback text."""

    exit_code = ExitCode.INTERNAL
    hint = N_("please report it; run with --debug for details")

    def __init__(self, path: object, reason: str, *, hint: str | None = None, detail: str = ""):
        super().__init__(path, reason, hint=hint)
        self.detail = detail


# ------------------------------------------------------------------ engine messages
#: What the PDF and image engines say (lower case, a part of the message) -> words a clerk
#: understands. The engine's own text is kept in the error's ``detail`` (shown by --debug).
ENGINE_WORDS: tuple[tuple[str, str], ...] = (
    ("data format error", N_("the file is not a readable PDF: it is damaged, or not a PDF at all")),
    ("file access error", N_("the file could not be opened for reading")),
    ("unsupported security scheme", N_("the PDF is protected with an encryption this program cannot open")),
    ("page not found or content error", N_("a page of the PDF is missing or damaged")),
    ("no /root object", N_("the PDF is cut off or damaged (its table of contents is missing)")),
    ("eof marker", N_("the PDF is cut off (an incomplete copy or download?)")),
    ("unexpected eof", N_("the file is cut off (an incomplete copy or download?)")),
    ("truncated", N_("the file is cut off (an incomplete copy or download?)")),
    ("xref", N_("the PDF's table of contents is damaged")),
    ("cannot identify image file", N_("the image data cannot be read as a picture")),
    ("broken data stream", N_("the image data is damaged")),
)


def engine_words(raw: str, default: str) -> str:
    """The clerk's words for an engine's message ``raw`` (``default`` when it is not known)."""
    low = raw.lower()
    return _(next((words for key, words in ENGINE_WORDS if key in low), default))


def with_engine_message(exc: VanthuError, raw: str) -> VanthuError:
    """``exc`` with the engine's own message kept for ``--debug`` (``detail``)."""
    exc.detail = f"engine message: {' '.join(raw.split())}\n"
    return exc


def unreadable(path: object, raw: str, default: str) -> VanthuError:
    """A ``CorruptInput`` in a clerk's words for an engine's message, the message kept for --debug."""
    return with_engine_message(CorruptInput(path, engine_words(raw, default)), raw)


# ------------------------------------------------------------------ parser exceptions
_ENCRYPTION_NAMES = ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning", "PasswordError")


def root_cause(exc: BaseException) -> BaseException:
    """The parser's own exception under wrappers (pdfplumber's ``PdfminerException(e)``)."""
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        if exc.args and isinstance(exc.args[0], BaseException):
            exc = exc.args[0]
        elif type(exc).__name__ == "PdfminerException" and (inner := exc.__cause__ or exc.__context__):
            exc = inner
        else:
            break
    return exc


def pdf_error(path: object, exc: BaseException) -> VanthuError:
    """The typed error for an exception a PDF parser raised on ``path``."""
    if isinstance(exc, VanthuError):
        return exc
    root = root_cause(exc)
    name = type(root).__name__
    text = str(root).strip()
    if name in _ENCRYPTION_NAMES or "password" in text.lower() or "encrypt" in name.lower():
        detail = f" ({text})" if text and "password" not in text.lower() else ""
        return EncryptedInput(
            path,
            _("the PDF is encrypted: it needs a password, or its encryption is broken{detail}").format(detail=detail),
        )
    if isinstance(root, RecursionError):
        return CorruptInput(
            path, _("the PDF's structure loops or nests too deeply to parse (e.g. a cross-reference chain that loops)")
        )
    if isinstance(root, MemoryError):
        return TooLarge(path, _("the PDF needs more memory than allowed to parse"))
    reason = f"{name}: {text}" if text else name
    return unreadable(path, reason, N_("the PDF cannot be read: its structure is damaged"))
