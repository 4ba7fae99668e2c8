"""Dates as stancegraph writes them (YYYY, YYYY-MM, YYYY-MM-DD) read as spans of days, and a condition's status
over time. Below the projection and the analyses, which both use them (output/periods.py has the rest)."""

from __future__ import annotations

import calendar
import re
from datetime import date

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def span(value: str | None) -> tuple[date, date] | None:
    """The first and last day of a YYYY, YYYY-MM or YYYY-MM-DD date; None for a missing or unreadable one
    (a graph from elsewhere may hold any text as a date)."""
    if not value:
        return None
    m = DATE.match(value.strip()[:10])
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def latest_status(statuses: list[tuple[str | None, str]]) -> str:
    """A condition's status from its (date, status) statements: the status of the latest dated ones (a
    condition unmet in 2024 and met in 2025 is met), "contested" when those disagree, "unknown" when none
    gives one; undated statements count only when none is dated."""
    dated = [(sp[0], status) for when, status in statuses if status and (sp := span(when)) is not None]
    latest = {status for day, status in dated if day == max(d for d, _ in dated)} if dated else {
        status for _, status in statuses if status}
    if not latest:
        return "unknown"
    return "contested" if len(latest) > 1 else next(iter(latest))
