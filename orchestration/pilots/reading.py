"""Reading one pilot upload into tables of text, within the contract's limits.

Whatever can be judged without parsing is judged first: the file's type and name, its size,
its first bytes (binary data, a workbook under a .csv name, UTF-16 without a byte-order mark),
its number of lines and its header row (number and length of the column names); for a
workbook, its unpacked size and sheets. Only then does a parser run, so no file can make
reading take long or fill memory. A file that breaks one of these rules raises `Unreadable`:
one breach for the whole file (or its header row), and nothing else is read from it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from orchestration.files.bytes import binary_kind, UTF16_BOMS, ZIP_MAGIC
from orchestration.pilots.privacy import normalise_name

TABLES = ("participants", "services", "outcomes")
SUFFIXES = (".csv", ".xlsx")
NAMING_RULE = ("a CSV named participants*, services* or outcomes*, or an .xlsx workbook "
               "with sheets named participants, services and/or outcomes")
SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
HEAD_BYTES = 1 << 16


class Unreadable(ValueError):
    """The file breaks a rule before its tables can be checked."""

    def __init__(self, rule: str, row: int | None = None, table: str | None = None) -> None:
        super().__init__(rule)
        self.rule, self.row, self.table = rule, row, table


def table_of(name: str) -> str | None:
    normalised = normalise_name(name)
    return next((t for t in TABLES if normalised.startswith(t)), None)


def read_upload(path: Path, limits: dict) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The contract tables a file holds (cells as text, header applied) and the sheets it ignored."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        raise Unreadable(f"{NAMING_RULE}; this is {what}" + (" (Excel 97-2003: save it as .xlsx)" if suffix == ".xls" else ""))
    if suffix == ".csv" and table_of(path.stem) is None:
        raise Unreadable(NAMING_RULE)
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("a file with content; this one is empty (0 bytes)")
    if size > limits["file_bytes"]:
        raise Unreadable(f"a file of at most {limits['file_bytes']:,} bytes (limits.file_bytes); this one has {size:,}")
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if suffix == ".xlsx":
        return _read_workbook(path, head, limits)
    return {table_of(path.stem): _read_csv(path, head, limits)}, []


def _read_csv(path: Path, head: bytes, limits: dict) -> pd.DataFrame:
    kind = binary_kind(head)
    if kind:
        raise Unreadable(f"a CSV text file; this one holds {kind}")
    lines = _count_lines(path)
    if lines - 1 > limits["rows"]:
        raise Unreadable(f"at most {limits['rows']:,} data rows (limits.rows); this file has {lines - 1:,} lines after the header")
    # Spreadsheet programs save "Unicode text" as UTF-16 with a byte-order mark.
    encodings = ["utf-16"] if head.startswith(UTF16_BOMS) else ["utf-8-sig", "latin-1"]
    width = _check_header(path, encodings[0], limits)
    for encoding in encodings:
        try:
            rows = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding=encoding)
            break
        except UnicodeDecodeError:
            if encoding == encodings[-1]:
                raise
        except pd.errors.ParserError as error:
            raise Unreadable(*_parser_rule(error, width)) from error
    return _header_as_written(rows)


def _header_as_written(rows: pd.DataFrame) -> pd.DataFrame:
    """The first row as the header, a repeated name and all (pandas' own header would rename
    a second `arm` to `arm.1`, and the contract would never see the repetition)."""
    header = [str(c) for c in rows.iloc[0].fillna("")]
    return rows.iloc[1:].set_axis(header, axis=1).reset_index(drop=True)


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines, last = lines + block.count(b"\n"), block[-1:]
    return lines + (last != b"\n")


def _check_header(path: Path, encoding: str, limits: dict) -> int:
    """The header row's number of columns, after checking it against the limits."""
    columns, chars = limits["columns"], limits["field_chars"]
    budget = columns * (chars + 3) * (2 if encoding == "utf-16" else 1)
    with path.open("rb") as handle:
        start = handle.read(budget)
    text = start.decode(encoding, errors="replace")
    if "\n" not in text and len(start) == budget:
        raise Unreadable(f"a header row of at most {columns} columns of at most {chars:,} characters "
                         f"(limits.columns, limits.field_chars); this one is longer than {budget:,} bytes", row=1)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    if len(header) > columns:
        raise Unreadable(f"at most {columns} columns (limits.columns); this header has {len(header):,}", row=1)
    for number, name in enumerate(header, start=1):
        if len(name) > chars:
            raise Unreadable(f"a column name of at most {chars:,} characters (limits.field_chars); "
                             f"column {number} of the header has {len(name):,}", row=1)
    if len(header) == 1:
        for separator, words in SEPARATORS.items():
            if separator in header[0]:
                raise Unreadable(f"columns separated by commas; this header is separated by {words}", row=1)
    return len(header)


def _parser_rule(error: pd.errors.ParserError, width: int) -> tuple[str, int | None]:
    message = str(error)
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if ragged:
        return f"each row has as many cells as the header ({width}); this row has {ragged[3]}", int(ragged[2])
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        return "every quoted cell ends with a closing quote; this one runs to the end of the file", int(unclosed[1]) + 1
    return f"a readable CSV file ({message.strip().splitlines()[-1][:200]})", None


def _read_workbook(path: Path, head: bytes, limits: dict) -> tuple[dict[str, pd.DataFrame], list[str]]:
    if not head.startswith(ZIP_MAGIC):
        raise Unreadable(f"an .xlsx workbook; this file holds {binary_kind(head) or 'text'}")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise Unreadable(f"an .xlsx workbook; this one is a damaged zip archive ({error})") from error
    if unpacked > limits["workbook_unpacked_bytes"]:
        raise Unreadable(f"a workbook of at most {limits['workbook_unpacked_bytes']:,} bytes unpacked "
                         f"(limits.workbook_unpacked_bytes); this one unpacks to {unpacked:,}")
    with pd.ExcelFile(path, engine="openpyxl") as book:
        names = [str(n) for n in book.sheet_names]
        sheets: dict[str, list[str]] = {}
        for name in names:
            if table_of(name):
                sheets.setdefault(table_of(name), []).append(name)
        if not sheets:
            raise Unreadable(f"{NAMING_RULE}; this workbook's sheets are {', '.join(names)}")
        for table, same in sheets.items():
            if len(same) > 1:
                raise Unreadable(f"one sheet per table; the sheets {', '.join(same)} all hold {table}", table=table)
        tables = {table: _read_sheet(book, table, sheet, limits) for table, (sheet,) in sheets.items()}
    return tables, [n for n in names if not table_of(n)]


def _read_sheet(book: pd.ExcelFile, table: str, sheet: str, limits: dict) -> pd.DataFrame:
    # Reading stops one row past the limit (after the header): enough to know it is broken.
    rows = pd.read_excel(book, sheet_name=sheet, header=None, dtype=str, keep_default_na=False,
                         nrows=limits["rows"] + 2)
    if rows.empty:
        raise Unreadable(f"a header row in the sheet {sheet}; the sheet is empty", table=table)
    frame = _header_as_written(rows)
    if len(frame.columns) > limits["columns"]:
        raise Unreadable(f"at most {limits['columns']} columns (limits.columns); the sheet {sheet} has "
                         f"{len(frame.columns):,}", row=1, table=table)
    if len(frame) > limits["rows"]:
        raise Unreadable(f"at most {limits['rows']:,} data rows (limits.rows); the sheet {sheet} has more",
                         table=table)
    long = [n for n, name in enumerate(frame.columns, start=1) if len(str(name)) > limits["field_chars"]]
    if long:
        raise Unreadable(f"a column name of at most {limits['field_chars']:,} characters (limits.field_chars); "
                         f"column {long[0]} of the sheet {sheet} is longer", row=1, table=table)
    return frame
