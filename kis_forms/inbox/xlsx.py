"""A one-sheet XLSX workbook written row by row into a file, for exports of many rows.

openpyxl builds an object per cell and writes it through an XML library: about 10 µs a cell
with lxml and 20 µs without, so 100,000 enquiries of 12 columns took four to eight times
as long as their CSV (bench/inbox.py). XlsxWriter's constant-memory mode, the library made
for this, wrote the same 1.2 million cells in 5.4 s against 1.4 s here, and its export took
2.7 times our CSV (bench/inbox.py; the target is 2). Here a row is one formatted string,
the package the few fixed parts of the Office Open XML format (ECMA-376) a spreadsheet
needs. The cells are those openpyxl's write-only mode writes: text as inline strings
(never a formula), dates as ISO dates with a date style, an empty value as no cell.
"""

import datetime
import zipfile
from itertools import count
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/{SHEET}" ContentType="{CONTENT_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT_TYPE}.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
}
# Style 1 shows a date in the given format; style 0 is the default.
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode=%s/>'
    '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
    '<sheet name=%s sheetId="1" r:id="rId1"/></sheets></workbook>'
)
# What XML text may not hold as it is: a carriage return would be read back as a line feed.
ENTITIES = {"\r": "&#13;"}


def text_cell(reference, text):
    """An inline string: a spreadsheet never reads it as a formula."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    text = escape(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text), ENTITIES)
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell(reference, value):
    """The XML of one cell; None or "" as no cell, as openpyxl's write-only mode skips them."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return f'<c r="{reference}" s="1" t="d"><v>{value.isoformat()}</v></c>'
    return text_cell(reference, str(value))


class SheetWriter:
    """Writes rows of text, datetimes and None into `output` as an XLSX workbook.

    Use as a context manager: the rows go into the zip archive as they are written, and the
    archive is finished on leaving.
    """

    def __init__(self, output, *, date_format, title="Sheet1", compresslevel=1):
        self.output = output
        self.date_format = date_format
        self.title = title
        self.compresslevel = compresslevel  # the fastest: the file is read once, then deleted
        self.numbers = count(1)
        self.columns = []

    def __enter__(self):
        self.archive = zipfile.ZipFile(
            self.output, "w", zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel
        )
        for name, xml in PARTS.items():
            self.archive.writestr(name, XML + xml)
        self.archive.writestr("xl/styles.xml", XML + STYLES % quoteattr(self.date_format))
        self.archive.writestr("xl/workbook.xml", XML + WORKBOOK % quoteattr(self.title))
        self.sheet = self.archive.open(SHEET, "w")
        self.sheet.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
        return self

    def write_rows(self, rows):
        """Append `rows` (sequences of values) to the sheet."""
        lines = []
        for row in rows:
            number = next(self.numbers)
            while len(self.columns) < len(row):
                self.columns.append(get_column_letter(len(self.columns) + 1))
            cells = "".join(
                cell(f"{letter}{number}", value)
                for letter, value in zip(self.columns, row, strict=False)
            )
            lines.append(f'<row r="{number}">{cells}</row>')
        self.sheet.write("".join(lines).encode())

    def __exit__(self, *exc_info):
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        self.archive.close()
