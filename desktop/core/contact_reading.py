"""What the contact file readers share: problems, the running tally, one contact's checks.

A reader (:mod:`desktop.core.contact_csv`, :mod:`desktop.core.contact_vcard`)
is a generator of :class:`ParsedContact` that writes every problem and
count into a :class:`ReadLog` as it goes; :mod:`desktop.core.contact_import`
streams the contacts into the directory and builds the report from the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from desktop.core import text as _text
from desktop.core.contact_cells import CellNumbers, CellProblem, describe_problem, quote
from desktop.core.contact_model import MAX_NUMBERS_PER_CONTACT, ContactDraft, ContactNumber

#: Problems kept for the report; beyond that only counted (a broken file of
#: 200,000 rows must not fill memory with 200,000 messages).
MAX_PROBLEMS_KEPT = 5000


class ContactImportError(Exception):
    """The whole file cannot be imported (unreadable, empty, binary, no usable header...)."""


@dataclass(frozen=True, slots=True)
class ImportRowError:
    """A problem with one row (CSV) or card (vCard).

    ``line`` is the physical line where the row or card starts; ``row`` the
    row as a spreadsheet numbers it (the header is row 1) or the card's
    number in the file; ``column`` the header of the cell (or the vCard
    property); ``reason`` says what happened and quotes the whole cell.
    """

    line: int
    reason: str
    #: True: the row was not imported.  False: imported, minus what *reason* says.
    skipped: bool = True
    row: int = 0
    column: str = ""
    #: What kind of problem (:data:`~desktop.core.contact_cells.PROBLEM_TEXTS`) and its
    #: parameters: the UI words it in the agent's language from these.
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, line: int, code: str, *, skipped: bool = True, row: int = 0,
           column: str = "", **params: object) -> ImportRowError:
        items = tuple((k, str(v)) for k, v in params.items())
        return cls(line, describe_problem(code, items), skipped, row, column, code, items)

    def describe(self, file: str) -> str:
        """``rehber.csv row 12 (line 14), column 'Telefon': <reason>`` for a terminal."""
        where = f"{file} row {self.row}" if self.row else f"{file} line {self.line}"
        if self.row and self.row != self.line:
            where += f" (line {self.line})"
        if self.column:
            where += f", column '{self.column}'"
        outcome = "row skipped" if self.skipped else "rest of the row imported"
        return f"{where}: {self.reason} ({outcome})"


#: Another name for the same thing (it is not always an error).
ImportProblem = ImportRowError


class ParsedContact(NamedTuple):
    """A draft and the line it came from (a tuple: cheap for 100,000 rows)."""

    line: int
    draft: ContactDraft
    #: The row as a spreadsheet numbers it (CSV) or the card's number (vCard).
    row: int = 0


@dataclass(slots=True)
class ReadLog:
    """Problems and counts of one file as it is read."""

    problems: list[ImportRowError] = field(default_factory=list)
    #: Problems found but not kept (beyond :data:`MAX_PROBLEMS_KEPT`).
    problems_not_kept: int = 0
    rows: int = 0
    rows_skipped: int = 0
    numbers: int = 0
    numbers_dropped: int = 0
    fax_skipped: int = 0
    #: The reader stopped before the end of the file (a syntax error it cannot pass).
    stopped_at: int | None = None

    def add(self, problem: ImportRowError) -> None:
        if problem.skipped:
            self.rows_skipped += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)
        else:
            self.problems_not_kept += 1


class RowProblems:
    """The problems of the row being read (kept back until we know if it is skipped).

    A plain class: one is made per row of a 200,000-row file.
    """

    __slots__ = ("dropped", "items", "line", "row")

    def __init__(self, line: int, row: int) -> None:
        self.line = line
        self.row = row
        self.items: list[tuple[str, CellProblem]] = []  # (column, problem)
        self.dropped = 0

    def note(self, column: str, problem: CellProblem) -> None:
        self.items.append((column, problem))

    def numbers(self, column: str, found: CellNumbers) -> list[ContactNumber]:
        for problem in found.problems:
            self.items.append((column, problem))
            self.dropped += problem.dropped
        return found.numbers


def capped(value: str, limit: int, column: str, what: str, problems: RowProblems, *,
           multiline: bool = False) -> str:
    """*value* (cleaned when it is stored); over *limit* characters it is cut, with a warning."""
    if len(value) <= limit:
        return value  # the directory cleans every field on write
    cleaned = _text.clean(value, limit * 4 + 64, multiline=multiline)
    if len(cleaned) > limit:
        problems.note(column, CellProblem.of("field_too_long", 0, what=what,
                                             length=f"{len(value):,}", limit=f"{limit:,}",
                                             start=quote(value, 40)))
        return cleaned[:limit].rstrip()
    return cleaned


def finish_contact(log: ReadLog, problems: RowProblems, draft: ContactDraft,
                   number_column: str = "") -> ParsedContact | None:
    """Count and check one read contact; None when it is skipped (no name, no number)."""
    log.rows += 1
    numbers = _distinct(draft.numbers) if len(draft.numbers) > 1 else list(draft.numbers)
    if len(numbers) > MAX_NUMBERS_PER_CONTACT:
        extra = len(numbers) - MAX_NUMBERS_PER_CONTACT
        problems.note(number_column, CellProblem.of(
            "too_many_numbers", 0, count=len(numbers), limit=MAX_NUMBERS_PER_CONTACT,
            extra=extra))
        problems.dropped += extra
        numbers = numbers[:MAX_NUMBERS_PER_CONTACT]
    if len(numbers) != len(draft.numbers):
        draft = ContactDraft(name=draft.name, company=draft.company, numbers=tuple(numbers),
                             email=draft.email, notes=draft.notes, source=draft.source,
                             external_id=draft.external_id)
    log.numbers_dropped += problems.dropped
    if not draft.numbers and not (_text.clean(draft.name) or _text.clean(draft.company)):
        if problems.items:  # every number was bad: one problem that says so, row skipped
            reasons = "; ".join(p.reason for _column, p in problems.items)
            cells = ", ".join(dict.fromkeys(_quoted(p) for _c, p in problems.items))
            columns = ", ".join(dict.fromkeys(c for c, _p in problems.items if c))
            log.add(ImportRowError.of(problems.line, "no_valid_number", row=problems.row,
                                      column=columns, reasons=reasons, cells=cells))
        else:
            log.add(ImportRowError.of(problems.line, "no_name_no_number", row=problems.row))
        return None
    for column, item in problems.items:
        log.add(ImportRowError(problems.line, item.reason, False, problems.row, column,
                               item.code, item.params))
    log.numbers += len(draft.numbers)
    return ParsedContact(problems.line, draft, problems.row)


def _quoted(problem: CellProblem) -> str:
    """The part or cell a number problem is about, quoted."""
    params = dict(problem.params)
    return f"'{params['part']}'" if "part" in params else params.get("cell", "")


def _distinct(numbers: tuple[ContactNumber, ...]) -> list[ContactNumber]:
    seen: set[str] = set()
    out: list[ContactNumber] = []
    for number in numbers:
        if number.identity not in seen:
            seen.add(number.identity)
            out.append(number)
    return out
