"""Delimited tables (CSV, TSV): a row per line, each cell naming its column, as a table in
any other format reads."""

from __future__ import annotations

import contextlib
import csv
import io

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, table_lines, utf8

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
        cells = ([" ".join(cell.split()) for cell in row] for row in rows)
        lines = table_lines((row, number == 0) for number, row in enumerate(cells))
        return joined_lines([(line, 0) for line in lines])


class TsvReader(CsvReader):
    """A TSV file: a CSV file delimited by tabs."""

    suffixes = (".tsv",)
    format = "tsv"
    tab = True
