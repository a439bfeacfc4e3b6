"""Dates at the precision a source gives: "2025-03-14", "Mar 2025", "Q2 2026", "H1 2026", "2026".

A ``PreciseDate`` is stored as two columns: the first day of the period and its precision. Sorting
uses the first day; display and export keep the precision exactly as the source gave it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from programs.vocab import DatePrecision

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})[- ]?q([1-4])$"), "yq"),
    (re.compile(r"^q([1-4])[- ]?(\d{4})$"), "qy"),
    (re.compile(r"^(\d{4})[- ]?h([12])$"), "yh"),
    (re.compile(r"^h([12])[- ]?(\d{4})$"), "hy"),
    (re.compile(r"^(\d{4})$"), "y"),
    (re.compile(r"^(\d{1,2}) ([a-z]+)\.? (\d{4})$"), "dmy"),
    (re.compile(r"^([a-z]+)\.? (\d{1,2}),? (\d{4})$"), "mdy"),
    (re.compile(r"^([a-z]+)\.? (\d{4})$"), "my"),
]


@dataclass(frozen=True, slots=True)
class PreciseDate:
    """The first day of a period and how wide the period is."""

    date: dt.date | None
    precision: str

    @classmethod
    def parse(cls, text: str) -> PreciseDate:
        """Parse what an editor types; raises ``ValueError`` with the accepted forms on failure."""
        raw = " ".join(str(text).strip().lower().replace(",", " ").split())
        if raw in {"", "unknown", "n/a", "not stated"}:
            return cls(None, DatePrecision.UNKNOWN)
        try:
            for pattern, form in _PATTERNS:
                m = pattern.match(raw)
                if m:
                    return cls._build(form, m.groups())
        except (ValueError, KeyError):
            pass
        raise ValueError(
            f"{text!r} is not a date; write 2025-03-14, 2025-03, Mar 2025, Q2 2026, 2026-Q2, "
            "2026-H1 or 2026"
        )

    @classmethod
    def _build(cls, form: str, g: tuple[str, ...]) -> PreciseDate:
        if form == "ymd":
            return cls(dt.date(int(g[0]), int(g[1]), int(g[2])), DatePrecision.DAY)
        if form == "dmy":
            return cls(dt.date(int(g[2]), _MONTHS[g[1]], int(g[0])), DatePrecision.DAY)
        if form == "mdy":
            return cls(dt.date(int(g[2]), _MONTHS[g[0]], int(g[1])), DatePrecision.DAY)
        if form == "ym":
            return cls(dt.date(int(g[0]), int(g[1]), 1), DatePrecision.MONTH)
        if form == "my":
            return cls(dt.date(int(g[1]), _MONTHS[g[0]], 1), DatePrecision.MONTH)
        if form in {"yq", "qy"}:
            year, q = (g[0], g[1]) if form == "yq" else (g[1], g[0])
            return cls(dt.date(int(year), 3 * int(q) - 2, 1), DatePrecision.QUARTER)
        if form in {"yh", "hy"}:
            year, h = (g[0], g[1]) if form == "yh" else (g[1], g[0])
            return cls(dt.date(int(year), 1 if h == "1" else 7, 1), DatePrecision.HALF)
        return cls(dt.date(int(g[0]), 1, 1), DatePrecision.YEAR)

    @property
    def end(self) -> dt.date | None:
        """The last day of the period (a planned "Q2 2026" is overdue only after 30 June 2026)."""
        d, p = self.date, self.precision
        if d is None:
            return None
        months = {"day": 0, "month": 1, "quarter": 3, "half": 6, "year": 12}.get(p, 0)
        if months == 0:
            return d
        y, m = divmod(d.month - 1 + months, 12)
        return dt.date(d.year + y, m + 1, 1) - dt.timedelta(days=1)

    def display(self) -> str:
        """As people write it: "14 Mar 2025", "Mar 2025", "Q2 2026", "H1 2026", "2026"."""
        d, p = self.date, self.precision
        if d is None:
            return "date not stated"
        if p == DatePrecision.DAY:
            return f"{d.day} {calendar.month_abbr[d.month]} {d.year}"
        if p == DatePrecision.MONTH:
            return f"{calendar.month_abbr[d.month]} {d.year}"
        if p == DatePrecision.QUARTER:
            return f"Q{(d.month - 1) // 3 + 1} {d.year}"
        if p == DatePrecision.HALF:
            return f"H{1 if d.month <= 6 else 2} {d.year}"
        return str(d.year)

    def iso(self) -> str:
        """The machine form used by exports and imports: 2025-03-14, 2025-03, 2026-Q2, 2026-H1, 2026."""
        d, p = self.date, self.precision
        if d is None:
            return ""
        if p == DatePrecision.DAY:
            return d.isoformat()
        if p == DatePrecision.MONTH:
            return f"{d.year}-{d.month:02d}"
        if p == DatePrecision.QUARTER:
            return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
        if p == DatePrecision.HALF:
            return f"{d.year}-H{1 if d.month <= 6 else 2}"
        return str(d.year)

    def __str__(self) -> str:
        return self.display()
