"""Importing contacts from CSV and vCard files into the directory.

:func:`import_contacts` checks the file as a whole first - it exists, is a
file and not a folder, is not empty, not too large, is text and not an
Excel workbook, a PDF or other binary data - and raises
:class:`ContactImportError` with a plain reason otherwise.  Then it reads
the file as a stream and merges the contacts into the directory in one
transaction, so a 200,000-row file never sits in memory whole.

Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode
text"), else Windows-1254 (Excel TR's "CSV"); told apart by the BOM and by
whether the whole file is valid UTF-8.  CSV or vCard is told apart by
content.  The readers are :mod:`desktop.core.contact_csv` and
:mod:`desktop.core.contact_vcard`; what a cell's numbers are,
:mod:`desktop.core.contact_cells`.

Bad rows are skipped and reported, good rows kept.  Every problem names
the row (as a spreadsheet numbers it), the column and the whole cell
(:class:`ImportRowError`); the report counts the rows read and skipped and
the numbers stored, dropped and skipped as fax.  Re-importing a file
updates the contacts it added before instead of duplicating them (see
:meth:`Directory.merge`; the source is ``csv:<file name>`` /
``vcard:<file name>``).
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import io
import logging
import stat
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.contact_cells import make_number, split_numbers
from desktop.core.contact_csv import column_role, read_csv
from desktop.core.contact_model import ContactDraft, MergeResult
from desktop.core.contact_reading import (
    ContactImportError,
    ImportProblem,
    ImportRowError,
    ParsedContact,
    ReadLog,
)
from desktop.core.contact_vcard import decode_bytes, looks_like_vcard, read_vcard
from desktop.core.directory import Directory

log = logging.getLogger("kobikom.core.contact_import")

__all__ = [
    "MAX_FILE_BYTES",
    "ContactImportError",
    "ImportProblem",
    "ImportReport",
    "ImportRowError",
    "ParseResult",
    "ParsedContact",
    "apply_parsed",
    "column_role",
    "decode_bytes",
    "import_contacts",
    "looks_like_vcard",
    "make_number",
    "parse_csv",
    "parse_vcard",
    "split_numbers",
]

#: Files larger than this are refused (a contacts file is a few MB at most).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Bytes looked at to recognise the encoding and binary files.
_HEAD_BYTES = 64 * 1024
_CHUNK = 1 << 20
_BINARY_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another ZIP file: open it in Excel and "
                    "save it as \u201cCSV UTF-8\u201d first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another Office file: open it in "
                          "Excel and save it as \u201cCSV UTF-8\u201d first"),
    (b"%PDF", "a PDF document, not a contacts file"),
    (b"SQLite format 3", "an SQLite database, not a contacts file"),
)


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Rows (cards) not imported.
    skipped: int = 0
    errors: tuple[ImportRowError, ...] = ()
    #: Contacts of the source deleted because the new data no longer has them (PBX sync).
    removed: int = 0
    #: The import was cancelled: nothing was changed.
    cancelled: bool = False
    source: str = ""
    #: Rows (CSV, without the header) or cards (vCard) read.
    rows: int = 0
    #: Numbers stored, dropped (not phone numbers, Excel-mangled, over the limit) and
    #: skipped because they are fax numbers.
    numbers: int = 0
    numbers_dropped: int = 0
    fax_skipped: int = 0
    #: Problems found beyond those listed in ``errors``.
    problems_not_listed: int = 0
    #: The line where reading stopped early (a CSV syntax error), else None.
    stopped_at: int | None = None

    @property
    def complete(self) -> bool:
        """The whole file was read (some rows may still have been skipped)."""
        return self.stopped_at is None and not self.cancelled


@dataclass(slots=True)
class ParseResult:
    """Contacts read in full (small inputs: the PBX phonebook, tests)."""

    contacts: list[ParsedContact] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)


# ------------------------------------------------------------------ files
@dataclass(slots=True)
class _Opened:
    kind: str  # "csv" or "vcard"
    lines: Iterator[str]
    estimate: int


def _check(path: Path) -> int:
    """The size of *path*; ContactImportError when it cannot be a contacts file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ContactImportError(f"{path}: no such file") from None
    except OSError as exc:
        raise ContactImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ContactImportError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ContactImportError(f"{path} is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise ContactImportError(
            f"{path.name} is too large ({info.st_size // 2**20} MB; at most "
            f"{MAX_FILE_BYTES // 2**20} MB)")
    if info.st_size == 0:
        raise ContactImportError(f"{path.name} is empty")
    return info.st_size


def _encoding(head: bytes, path: Path) -> tuple[str, bool]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _has_nul(path)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True  # NULs can only be told apart after decoding
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise ContactImportError(f"{path.name} is {what}")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        raise ContactImportError(f"{path.name} is not a text file (it holds binary data)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    nul = False
    utf8 = True
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            nul = nul or b"\x00" in chunk
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    # Not UTF-8: Excel TR and most Turkish Windows software write cp1254 (a
    # superset of ISO-8859-9 for letters).
    return ("utf-8" if utf8 else "cp1254"), nul


def _has_nul(path: Path) -> bool:
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            if b"\x00" in chunk:
                return True
    return False


def _count(path: Path, needle: bytes) -> int:
    total = 0
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            total += chunk.count(needle)
    return total


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


@contextlib.contextmanager
def _open(path: Path) -> Iterator[_Opened]:
    """*path* as lines of text, after the whole-file checks (ContactImportError)."""
    _check(path)
    try:
        with path.open("rb") as raw:
            head = raw.read(_HEAD_BYTES)
        encoding, nul = _encoding(head, path)
        text = io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace",
                                newline="")
    except OSError as exc:
        raise ContactImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with text:
        start = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n\x00")
        if not start and len(head) < _HEAD_BYTES:
            raise ContactImportError(f"{path.name} is empty (only blank lines)")
        if looks_like_vcard(start[:64]):
            kind = "vcard"
            estimate = _count(path, b"BEGIN:VCARD") or _count(path, b"begin:vcard")
        else:
            kind = "csv"
            estimate = max(0, _count(path, b"\n") - 1)
        yield _Opened(kind, _without_nul(text) if nul else iter(text), estimate)


# ------------------------------------------------------------------ entry points
def import_contacts(
    directory: Directory,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Import a CSV or vCard file (told apart by content) into *directory*.

    Takes a few seconds for 100,000 rows: call it from a worker thread.
    *progress* receives ``(rows done, rows expected)``; setting *cancel*
    stops the import and rolls everything back (``ImportReport.cancelled``).
    Raises :class:`ContactImportError` when the file as a whole cannot be
    imported; the directory is unchanged then.
    """
    path = Path(path)
    with _open(path) as opened:
        readlog = ReadLog()
        reader = read_vcard(opened.lines, readlog) if opened.kind == "vcard" \
            else read_csv(opened.lines, readlog)
        source = f"{opened.kind}:{path.name}"
        lines = array("q")
        rows = array("q")
        try:
            # The first contact is read before the write transaction starts: a
            # header that names no usable column is a whole-file error.
            first = next(reader, None)

            def drafts() -> Iterator[ContactDraft]:
                for parsed in ([first] if first is not None else []):
                    yield _note(parsed)
                for parsed in reader:
                    yield _note(parsed)

            def _note(parsed: ParsedContact) -> ContactDraft:
                lines.append(parsed.line)
                rows.append(parsed.row)
                return parsed.draft

            result = directory.merge(source, drafts(), progress=progress, cancel=cancel,
                                     total=opened.estimate, checked_numbers=True)
        except OSError as exc:
            raise ContactImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    log.info("imported %s: %d rows, %d skipped, %d numbers (%d dropped, %d fax)", source,
             readlog.rows, readlog.rows_skipped, readlog.numbers, readlog.numbers_dropped,
             readlog.fax_skipped)
    return _report(source, result, readlog, lines, rows)


def _report(source: str, result: MergeResult | None, readlog: ReadLog,
            lines: array[int] | list[int], rows: array[int] | list[int]) -> ImportReport:
    errors = list(readlog.problems)
    counts = ImportReport(rows=readlog.rows, numbers=readlog.numbers,
                          numbers_dropped=readlog.numbers_dropped,
                          fax_skipped=readlog.fax_skipped, stopped_at=readlog.stopped_at,
                          source=source, problems_not_listed=readlog.problems_not_kept)
    if result is None:
        return dataclasses.replace(counts, errors=tuple(errors), cancelled=True)
    for index, first in result.duplicates:
        where = f"row {rows[first]}" if rows[first] == lines[first] else \
            f"row {rows[first]} (line {lines[first]})"
        errors.append(ImportRowError.of(lines[index], "same_contact", row=rows[index],
                                        where=where, first_row=rows[first]))
    errors.sort(key=lambda e: e.line)
    skipped = readlog.rows_skipped + len(result.duplicates)
    return dataclasses.replace(
        counts,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=skipped,
        errors=tuple(errors),
        removed=result.removed,
    )


def apply_parsed(
    directory: Directory,
    source: str,
    parsed: ParseResult,
    *,
    remove_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Merge contacts read in full into *directory* under *source* and report."""
    drafts = [p.draft for p in parsed.contacts]
    result = directory.merge(
        source, drafts, remove_missing=remove_missing, progress=progress, cancel=cancel
    )
    readlog = ReadLog(rows=len(parsed.contacts),
                      numbers=sum(len(d.numbers) for d in drafts))
    for error in parsed.errors:
        readlog.add(error)
    lines = [p.line for p in parsed.contacts]
    rows = [p.row or p.line for p in parsed.contacts]
    return _report(source, result, readlog, lines, rows)


def parse_csv(text: str) -> ParseResult:
    """CSV text read in full (see :mod:`desktop.core.contact_csv`)."""
    readlog = ReadLog()
    contacts = list(read_csv(io.StringIO(text, newline=""), readlog))
    return ParseResult(contacts, readlog.problems)


def parse_vcard(text: str) -> ParseResult:
    """vCard text read in full (see :mod:`desktop.core.contact_vcard`)."""
    readlog = ReadLog()
    contacts = list(read_vcard(io.StringIO(text, newline=""), readlog))
    return ParseResult(contacts, readlog.problems)
