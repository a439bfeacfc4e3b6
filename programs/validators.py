"""Input rules shared by the editor forms, the CSV import and the API.

Model ``clean()`` methods hold the rules about a whole record (an occurred event in the future, IND
order, duplicates, n > N). This module holds the parsing of what people type: dates at a precision,
a DAR or DAR range, target names, source URLs; each raises ``ValidationError`` with a message fit to
show beside a field (the typed value passed as a parameter, never pasted into the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from programs.dates import PreciseDate
from programs.models import Asset, AssetDesignation, Target

_url = URLValidator(schemes=["http", "https"])
DAR_LIMIT = Decimal("20")  # the model's ``DAR_MAX``; a DAR above it is a typo (a percentage, a mass)
_NUMBER = r"(\d{1,3}(?:\.\d{1,2})?)"
_DAR = re.compile(rf"^(~|≈|approx\.?|about)?\s*(?:dar\s*)?{_NUMBER}(?:\s*(?:-|–|—|to)\s*{_NUMBER})?$", re.I)


@dataclass(frozen=True, slots=True)
class Dar:
    """A DAR as reported: ``low`` alone for one value, ``low``-``high`` for a range; ``approximate`` for "~4"."""

    low: Decimal | None
    high: Decimal | None = None
    approximate: bool = False


def parse_dar(text: str) -> Dar:
    """"4", "3.5-4", "3.5 to 4", "~4" (approximate: a reported average) -> Dar; "" -> no DAR.

    A ValidationError for anything else, for a range that goes down ("5-3") and for a value not above
    0 or above 20.
    """
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return Dar(None)
    match = _DAR.match(cleaned)
    if match is None:
        raise ValidationError("%(value)r is not a DAR: write a value (4), a range (3.5-4) or ~4.",
                              code="invalid", params={"value": cleaned})
    approx, low_text, high_text = match.groups()
    low = Decimal(low_text)
    high = Decimal(high_text) if high_text else None
    for value in (low, high):
        if value is not None and not (0 < value <= DAR_LIMIT):
            raise ValidationError("A DAR is above 0 and at most 20; %(value)s is not.", code="range",
                                  params={"value": f"{value.normalize():f}"})
    if high is not None and high < low:
        raise ValidationError("A DAR range goes from the lower bound up: %(value)r ends below its start.",
                              code="order", params={"value": cleaned})
    return Dar(low, None if high == low else high, bool(approx))


def parse_precise_date(text: str) -> PreciseDate:
    """"2025-03-14", "2025-03", "Q2 2026", "2026-H1", "2026" -> PreciseDate, or a ValidationError."""
    try:
        return PreciseDate.parse(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def validate_source_url(url: str) -> str:
    """An http(s) URL, stripped; a ValidationError naming the bad value otherwise."""
    url = (url or "").strip()
    if not url:
        raise ValidationError("A source URL is required: every fact cites where it comes from.")
    try:
        _url(url)
    except ValidationError as exc:
        raise ValidationError("%(url)r is not a valid http(s) URL.", code="invalid_url", params={"url": url}) from exc
    return url


def split_list(text: str, sep: str = ";") -> list[str]:
    """"EGFR; HER3" -> ["EGFR", "HER3"] (empty items dropped)."""
    return [part.strip() for part in (text or "").split(sep) if part.strip()]


def resolve_targets(text: str) -> tuple[list[Target], list[str]]:
    """Resolve ";"-separated target names; returns the targets and notes ("HER3 means ERBB3").

    One query per name. Raises a ValidationError listing every unknown name with suggestions.
    """
    targets: list[Target] = []
    notes: list[str] = []
    errors: list[ValidationError] = []
    for name in split_list(text):
        try:
            target = Target.objects.resolve(name)
        except ValidationError as exc:
            errors.append(exc)  # kept whole: its template and parameters stay apart
            continue
        if target.symbol.lower() != name.lower():
            notes.append(f"{name!r} means {target.symbol}.")
        targets.append(target)
    if errors:
        raise ValidationError(errors)
    return targets, notes


def resolve_asset(text: str) -> Asset:
    """The asset any designation names (code, INN, alias; case and punctuation ignored). One query."""
    from programs.text import normalize_name

    key = normalize_name(text or "")
    if not key:
        raise ValidationError("Name the asset (its code or any alias).")
    designation = AssetDesignation.objects.select_related("asset").filter(normalized=key).first()
    if designation is not None:
        return designation.asset
    asset = Asset.objects.filter(code__iexact=(text or "").strip()).first()
    if asset is None:
        raise ValidationError("No asset is known as %(name)r; check the code or create it below.",
                              code="unknown_asset", params={"name": text})
    return asset
