"""From one cell of a contacts file to phone numbers, and the problems found on the way.

Shared by the CSV and vCard readers (and the PBX phonebook).  What a cell
may hold, as exporters and people really write it:

* one number in any notation, with or without an extension in any of its
  written forms (see :mod:`desktop.core.numbers`): taken whole;
* several numbers (``0532 111 22 33 / 0212 444 55 66``, Google's
  ``:::``, ``;``, ``,``, ``|``, line breaks, `` - ``);
* a number followed by a short one (``0212 555 12 34 / 101``,
  ``+90 212 555 44 33,101``): the short one is the extension of the number
  before it, never an internal number of ours; a second short one is a
  second extension of the same switchboard number;
* Excel's scientific notation (``5,35123E+09``): Excel turned the number
  into a float and dropped its digits; reported as such, never stored;
* junk (``yok``, ``+90 yok``, ``-``): reported, never stored.

Every problem carries the whole cell (:class:`CellProblem`), so the
warning shows exactly what the file says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from desktop.core import text as _text
from desktop.core.contact_model import LABELS, ContactNumber, default_label, label_from
from desktop.core.numbers import (
    MAX_EXTENSION_DIGITS,
    NumberKind,
    PhoneNumber,
    clean_number_text,
    link_parts,
    parse_number_uncached,
    turkish_key,
)

#: Longest cell read as numbers (longer ones are truncated with a warning).
MAX_NUMBER_CELL = 1000
#: How much of a cell a problem quotes (number cells are short; notes are not).
MAX_QUOTE = 300

_SPLIT = re.compile(r"\s*(?::::?|[/,;|\n]|\s-\s)\s*")
_SPLIT_CHARS = re.compile(r"[:/,;|\n]|\s-\s")
#: Excel's "General" format turns a long digit string into a float: 5,35123E+09.
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d{1,3}")
_SHORT = re.compile(rf"\d{{1,{MAX_EXTENSION_DIGITS}}}")


def quote(cell: str, limit: int = MAX_QUOTE) -> str:
    """*cell* quoted for a message: whole, unless it is longer than *limit*."""
    flat = " ".join(cell.split())
    if len(flat) > limit:
        return f"'{flat[:limit]}…' ({len(cell):,} characters)"
    return f"'{flat}'"


#: What each kind of problem says, in English (the command line, the log, JSON).
#: The UI words the same codes and parameters in the agent's language.
PROBLEM_TEXTS: dict[str, str] = {
    "not_a_number": "not a phone number: {cell}",
    "not_valid": "not a valid phone number: {cell}",
    "part_not_a_number": "not a phone number: '{part}' in {cell}",
    "part_not_valid": "not a valid phone number: '{part}' in {cell}",
    "scientific": "Excel scientific notation {cell}: Excel stored the number as a "
                  "floating-point value and its last digits are lost; format the column as "
                  "Text in Excel and export again",
    "cell_too_long": "cell too long for phone numbers: only the first {limit} characters "
                     "were read",
    "not_an_extension": "not an extension: {cell}",
    "field_too_long": "{what} too long ({length} characters): cut to {limit} characters, "
                      "starting {start}",
    "too_many_numbers": "{count} numbers: only the first {limit} are kept, {extra} dropped",
    "no_name_no_number": "no name and no phone number",
    "no_valid_number": "no valid number ({reasons}) and no name",
    "too_many_columns": "too many columns ({count}, the header has {width})",
    "csv_syntax": "CSV syntax error ({error}); the rest of the file was not read",
    "card_no_end": "card has no END:VCARD",
    "same_contact": "same contact as {where}",
}


def describe_problem(code: str, params: tuple[tuple[str, str], ...]) -> str:
    """The English text of a problem."""
    return PROBLEM_TEXTS[code].format(**dict(params))


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Something in a cell that was not stored (or stored differently)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()
    #: Numbers of the cell that were dropped because of it.
    dropped: int = 1

    @classmethod
    def of(cls, code: str, dropped: int = 1, **params: object) -> CellProblem:
        return cls(code, tuple((k, str(v)) for k, v in params.items()), dropped)

    @property
    def reason(self) -> str:
        return describe_problem(self.code, self.params)


@dataclass(slots=True)
class CellNumbers:
    """What a number cell gave: the numbers and the problems."""

    numbers: list[ContactNumber]
    problems: list[CellProblem]


def split_numbers(cell: str) -> list[str]:
    """``"0532 111 22 33 / 0212 444 55 66"`` -> the two parts (no merging of extensions)."""
    if _SPLIT_CHARS.search(cell) is None:
        return [cell] if cell.strip() else []
    return [part for part in _SPLIT.split(cell) if part.strip()]


def _spans(cell: str) -> Iterator[tuple[int, int]]:
    """Start and end of each part of *cell* between the list separators."""
    start = 0
    for sep in _SPLIT.finditer(cell):
        if sep.start() > start or sep.end() > sep.start():
            if cell[start:sep.start()].strip():
                yield start, sep.start()
            start = sep.end()
    if cell[start:].strip():
        yield start, len(cell)


def _label(label: str | None, number: PhoneNumber) -> str:
    norm = label if label in LABELS else label_from(label)
    return norm or default_label(number.key)


def make_number(raw: str, label: str | None) -> ContactNumber | None:
    """*raw* as one stored number, or None when it is not a valid phone number."""
    raw = _text.clean(raw, _text.MAX_NUMBER)
    if not raw:
        return None
    parsed = parse_number_uncached(raw)
    if not _acceptable(parsed):
        return None
    return ContactNumber.from_parsed(parsed, _label(label, parsed))


def _acceptable(parsed: PhoneNumber) -> bool:
    if parsed.kind is NumberKind.INTERNAL:
        return True
    return parsed.kind is NumberKind.EXTERNAL and parsed.valid


def _why_not(parsed: PhoneNumber) -> str:
    """The problem code of a number that is not kept."""
    return "not_valid" if parsed.kind is NumberKind.EXTERNAL else "not_a_number"


def plain_turkish_number(cell: str, label: str | None) -> ContactNumber | None:
    """The number of a cell that is just one plain Turkish number (nearly every cell of a
    file), without the general machinery; None for anything else.  Gives exactly what
    :func:`read_number_cell` gives for such a cell (a test compares them)."""
    if not (cell.isascii() and cell.isprintable() and len(cell) <= _text.MAX_NUMBER):
        return None
    key = turkish_key(cell)
    if key is None:
        return None
    norm = label if label in LABELS else label_from(label)
    return ContactNumber(cell.strip(), key, norm or default_label(key))


def read_number_cell(cell: str, label: str | None, *, single: bool = False) -> CellNumbers:
    """The numbers in one cell (see the module docstring).

    *single*: the cell holds one number at most (a vCard ``TEL``): no
    splitting into a list.
    """
    out = CellNumbers([], [])
    plain = plain_turkish_number(cell, label)
    if plain is not None:
        out.numbers.append(plain)
        return out
    clean = clean_number_text(cell)
    if not clean:
        return out
    link = link_parts(clean) if ":" in clean else None
    if link is not None:  # a vCard 4 "tel:" URI: the number (and ;ext=) is what counts
        clean = f"{link[1]} ext. {link[2]}" if link[2] else link[1]
    if len(clean) > MAX_NUMBER_CELL:
        out.problems.append(CellProblem.of("cell_too_long", 0, limit=MAX_NUMBER_CELL))
        clean = clean[:MAX_NUMBER_CELL]
    whole = parse_number_uncached(clean)
    if _acceptable(whole):
        if len(clean) > _text.MAX_NUMBER:  # e.g. a tel: link with long parameters
            short = whole.e164 or whole.key
            whole = parse_number_uncached(f"{short} ext. {whole.extension}"
                                          if whole.extension else short)
        out.numbers.append(ContactNumber.from_parsed(whole, _label(label, whole)))
        return out
    if _SCIENTIFIC.fullmatch(clean):
        out.problems.append(CellProblem.of("scientific", cell=quote(cell)))
        return out
    if single or _SPLIT_CHARS.search(clean) is None:
        out.problems.append(CellProblem.of(_why_not(whole), cell=quote(cell)))
        return out
    _read_list(clean, label, cell, out)
    return out


def _read_list(clean: str, label: str | None, cell: str, out: CellNumbers) -> None:
    """A cell with several parts: numbers, and short parts that are extensions."""
    # The last public number: its start, its text, its index in out.numbers and
    # whether an extension was joined to it already.
    main: tuple[int, str, int] | None = None
    extended = False
    for start, end in _spans(clean):
        part = clean[start:end].strip()
        parsed = parse_number_uncached(part)
        if parsed.kind is NumberKind.EXTERNAL and parsed.valid:
            out.numbers.append(ContactNumber.from_parsed(parsed, _label(label, parsed)))
            main = (start, part, len(out.numbers) - 1) if parsed.extension is None else None
            extended = False
            continue
        if parsed.kind is NumberKind.INTERNAL and main is not None:
            written = clean[main[0]:end] if not extended else ""
            number = _extension_of(main[1], parsed.key, written)
            if number is not None:
                joined = ContactNumber.from_parsed(number, _label(label, number))
                if extended:  # a second extension of the same switchboard number
                    out.numbers.append(joined)
                else:
                    out.numbers[main[2]] = joined
                    extended = True
                continue
        if parsed.kind is NumberKind.INTERNAL:
            out.numbers.append(ContactNumber.from_parsed(parsed, _label(label, parsed)))
            continue
        out.problems.append(CellProblem.of("part_" + _why_not(parsed), part=part,
                                           cell=quote(cell)))


def _extension_of(main_raw: str, extension: str, written: str) -> PhoneNumber | None:
    """*main_raw* with *extension*: as *written* in the cell when that reads back the
    same (``+90 212 555 44 33,101``), else spelled ``main / extension``."""
    if not _SHORT.fullmatch(extension):
        return None  # "*97" after a number is not an extension
    for raw in (written.strip(), f"{main_raw} / {extension}"):
        if not raw:
            continue
        parsed = parse_number_uncached(raw)
        if parsed.kind is NumberKind.EXTERNAL and parsed.extension == extension \
                and len(raw) <= _text.MAX_NUMBER:
            return parsed
    return None


def attach_extension(numbers: list[ContactNumber], extension_cell: str) -> CellNumbers:
    """A value of an extension column ("Dahili"): the extension of the row's first
    fixed-line number that has none; with no such number it is an internal number
    (a colleague's desk extension next to their mobile).
    """
    out = CellNumbers([], [])
    clean = clean_number_text(extension_cell)
    if not clean:
        return out
    if _SCIENTIFIC.fullmatch(clean):
        out.problems.append(CellProblem.of("scientific", cell=quote(extension_cell)))
        return out
    internal = parse_number_uncached(clean)
    if internal.kind is not NumberKind.INTERNAL or not _SHORT.fullmatch(internal.key):
        out.problems.append(CellProblem.of("not_an_extension", cell=quote(extension_cell)))
        return out
    for index, number in enumerate(numbers):
        parsed = number.parsed()
        if parsed.kind is NumberKind.EXTERNAL and number.extension is None \
                and parsed.number_type != "MOBILE":
            joined = parse_number_uncached(f"{number.raw} / {internal.key}")
            if joined.extension == internal.key and len(joined.raw) <= _text.MAX_NUMBER:
                numbers[index] = ContactNumber.from_parsed(joined, number.label)
                return out
    out.numbers.append(ContactNumber.from_parsed(internal, "work"))
    return out
