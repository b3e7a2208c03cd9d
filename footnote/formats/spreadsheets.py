"""Spreadsheets and the tables they export (Excel workbooks, CSV, TSV): a row per line, each
cell naming its column under the header row, as a table in any other format reads."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence

from footnote.errors import BadDocument
from footnote.formats.base import (
    Extracted,
    Package,
    Reader,
    joined_lines,
    table_lines,
    utf8,
)

SNIFFED = 64 * 1024  # how much of a file the delimiter is guessed from
DELIMITERS = ",;\t|"  # what spreadsheets write: commas, semicolons where the comma is decimal


class CsvReader(Reader):
    """A CSV file. Its first row is taken as the header, as spreadsheets export and pandas
    reads one, so every later row reads "Station: Oslo | Rainfall (mm): 763": a figure
    quoted from the table says what it measures. The delimiter is guessed (comma, semicolon,
    tab or bar)."""

    suffixes = (".csv",)
    format = "csv"
    tab = False

    def read(self, data: bytes) -> Extracted:
        text = utf8(data)
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab if self.tab else csv.excel
        if not self.tab:
            with contextlib.suppress(csv.Error):  # one column, or nothing to tell by: commas
                dialect = csv.Sniffer().sniff(text[:SNIFFED], delimiters=DELIMITERS)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
        except csv.Error as error:
            raise BadDocument(f"not a readable table ({error})") from None
        return joined_lines([(line, 0) for line in sheet_lines(rows)])


class TsvReader(CsvReader):
    """A TSV file: a CSV file delimited by tabs."""

    suffixes = (".tsv",)
    format = "tsv"
    tab = True


class XlsxReader(Reader):
    """An Excel workbook (``.xlsx``, openpyxl): each sheet under its name as a heading, then
    its rows as a CSV file's read, the first non-empty row the header. A formula reads as the
    value Excel saved with it; a date as ISO 8601 ("2024-03-01"), a whole number without
    ".0"."""

    suffixes = (".xlsx",)
    format = "xlsx"

    def read(self, data: bytes) -> Extracted:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        Package(data, "Excel").check_size()  # openpyxl unpacks it: within the same bound
        lines: list[tuple[str, int]] = []
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
            raise BadDocument(f"not a readable Excel workbook ({error})") from None
        try:  # a read-only workbook reads its sheets as they are iterated, then must be closed
            for sheet in workbook.worksheets:
                rows = [
                    [_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)
                ]
                lines.append((" ".join(sheet.title.split()), 1))
                lines.extend((line, 0) for line in sheet_lines(rows))
        finally:
            workbook.close()
        return joined_lines(lines)


def _cell(value: object) -> str:
    """A cell's value as a spreadsheet shows it, near enough to quote."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def sheet_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """A table's rows as lines, the first with any text the header. Rows are cut to the
    widest row's last filled cell and padded to it, as a spreadsheet's grid is, so a row
    with trailing empty cells still names its columns."""
    cells = [[" ".join(cell.split()) for cell in row] for row in rows]
    cells = [row for row in cells if any(row)]
    width = max((max(i for i, cell in enumerate(row) if cell) + 1 for row in cells), default=0)
    grid = [(row + [""] * width)[:width] for row in cells]
    return table_lines((row, number == 0) for number, row in enumerate(grid))
