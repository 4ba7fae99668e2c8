"""Write coding-xlsx/claims.xlsx from coding/claims.csv, as a spreadsheet program would save it: real
dates and numbers in the cells, the claims on a sheet named "Claims" after a "Read me" sheet.

    python tests/data/sheets/make_xlsx.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    with (HERE / "coding" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["The claims are on the sheet 'Claims'; the codes in codebook.csv."])
    sheet = book.create_sheet("Claims")
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = list(row)
        cells[1] = dt.datetime.fromisoformat(row[1])  # a date cell, as typed into a spreadsheet
        cells[6] = int(row[6])  # a number cell
        sheet.append(cells)
    book.properties.created = book.properties.modified = dt.datetime(2031, 6, 2)
    book.save(HERE / "coding-xlsx" / "claims.xlsx")


if __name__ == "__main__":
    main()
