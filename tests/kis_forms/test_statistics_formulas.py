"""A resident's answer that starts like a formula stays text in the report's exports."""

import csv
import io

from openpyxl import load_workbook

from kis_forms.statistics.export import csv_bytes, xlsx_bytes
from kis_forms.statistics.report import Table

ANSWER = '=HYPERLINK("http://example.org")'


def topics():
    return [
        Table(
            "topics",
            "Tematy",
            "Tematy",
            ["Pytanie", "Odpowiedź", "Liczba"],
            [["Temat", ANSWER, 3]],
            labels=2,
        )
    ]


def test_the_csv_keeps_a_formula_as_text():
    rows = list(csv.reader(io.StringIO(csv_bytes(topics()).decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert f"'{ANSWER}" in cells
    assert ANSWER not in cells


def test_the_xlsx_keeps_a_formula_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(topics()))).active
    answer, count = sheet.cell(row=2, column=2), sheet.cell(row=2, column=3)
    assert answer.data_type == "s" and answer.value == f"'{ANSWER}"
    assert count.value == 3
