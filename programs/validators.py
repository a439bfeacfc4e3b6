"""Input rules shared by the editor forms, the CSV import and the API.

Model ``clean()`` methods hold the rules about a whole record (an occurred event in the future, IND
order, duplicates, n > N). This module holds the parsing of what people type: dates at a precision,
target names, source URLs; each raises ``ValidationError`` with a message fit to show beside a field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from programs.dates import PreciseDate
from programs.models import Asset, AssetDesignation, Target

_url = URLValidator(schemes=["http", "https"])


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
