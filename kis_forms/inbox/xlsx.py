"""A one-sheet XLSX workbook written row by row, for exports of many rows, with XlsxWriter.

openpyxl (which Wagtail's own export uses) builds an object per cell and writes it through
an XML library: 100,000 enquiries of 12 columns took four to eight times as long as their
CSV (bench/inbox.py). XlsxWriter's constant-memory mode writes each row as it comes, to a
temporary file, at a few microseconds a cell. The cells are those openpyxl's write-only
mode writes: text as text (never a formula, a number or a link), dates with a date style,
an empty value as no cell, and a control character, which XML cannot hold, as a
replacement character.
"""

import datetime

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

OPTIONS = {
    "constant_memory": True,  # each row is written out when the next one starts
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class SheetWriter:
    """Writes rows of text, datetimes and None into `output` as an XLSX workbook.

    Use as a context manager: the workbook is finished on leaving.
    """

    def __init__(self, output, *, date_format, title="Sheet1"):
        self.workbook = xlsxwriter.Workbook(output, OPTIONS)
        self.sheet = self.workbook.add_worksheet(title)
        self.date_style = self.workbook.add_format({"num_format": date_format})
        self.number = 0

    def __enter__(self):
        return self

    def write_rows(self, rows):
        """Append `rows` (sequences of values) to the sheet."""
        for row in rows:
            for column, value in enumerate(row):
                if isinstance(value, datetime.datetime):
                    self.sheet.write_datetime(self.number, column, value, self.date_style)
                elif value is not None and value != "":
                    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
                    self.sheet.write_string(self.number, column, text)
            self.number += 1

    def __exit__(self, *exc_info):
        self.workbook.close()
