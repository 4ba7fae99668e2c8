"""Rendering rows of values as a terminal table, CSV, TSV, JSON or a static HTML table."""

from __future__ import annotations

import csv
import html
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

MAX_CELL = 60


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def printable(text: str) -> str:
    """Control characters shown as escapes, so a hostile string cannot drive the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" for ch in text)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_cell: int = MAX_CELL) -> str:
    cells = [[printable(_clip(_cell(v), max_cell)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n"


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, *, title: str = "") -> str:
    """``rows`` (sequences in the order of ``columns``) in format ``fmt`` (table, csv, tsv, json or html)."""
    if fmt == "table":
        return render_table(columns, rows)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([v if type(v) is str else _cell(v) for v in row] for row in rows)  # most are text already
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return html_page(title, html_table(columns, rows))
    raise ValueError(f"unknown table format {fmt!r}")


def html_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in columns)
    body = "\n".join(
        "<tr>" + "".join(
            (f"<th scope=\"row\">{html.escape(_cell(v))}</th>" if i == 0 else f"<td>{html.escape(_cell(v))}</td>")
            for i, v in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def html_page(title: str, body: str) -> str:
    """A static page around ``body`` (already escaped HTML): no script, no outside reference."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n"
        "body{font-family:system-ui,sans-serif;margin:1.5em;color:#212121}"
        "table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
        "thead th{background:#f5f5f5;position:sticky;top:0}td:empty{background:#fafafa}"
        "\n</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
