"""Shared machinery of the CSV importers: reading (Excel-flavoured too), per-row reports, all-or-nothing.

An importer runs every row inside one transaction. Rows that fail are reported with row and column;
if any row failed, or on a dry run, the transaction is rolled back, so a dry run reports exactly what
the real run would do (including rows that depend on earlier rows) and a real run writes all or nothing.
Lookups (designations, sources, companies, existing rows) are loaded once per run, not per row.

Two ways to write. By default ``import_row`` saves as it goes, each row in a savepoint. An importer
with ``batched = True`` (milestones) only *plans* in ``import_row`` (no query per row) and writes
everything in ``flush`` with bulk statements, after every row validated and only on a real run.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from programs.editing.bulk import create_with_history, update_with_history
from programs.io.columns import COLUMNS, LIST_SEPARATOR
from programs.models import AssetDesignation, Company, CompanyAlias, Source
from programs.text import normalize_name, slugify_code
from programs.validators import parse_precise_date, validate_source_url
from programs.vocab import parse_choice

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
_COMPANY_SUFFIXES = ("andco", "co", "inc", "ltd", "limited", "plc", "ag", "sa", "gmbh", "corp", "corporation",
                     "company", "holdings", "group", "llc", "kk")


class CellError(Exception):
    """A bad value in one cell; ``column`` names the header."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class RowResult:
    row: int  # 1-based line number in the file, header is row 1
    action: str
    key: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    table: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    new_companies: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.row, col, msg) for r in self.rows for col, msg in r.errors] + [
            (0, "", msg) for msg in self.file_errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def counts(self) -> dict[str, int]:
        out = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, ERROR: 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    def as_text(self) -> str:
        lines = [f"{'Dry run' if self.dry_run else 'Import'} of {self.table}: "
                 + ", ".join(f"{n} {k}" for k, n in self.counts().items())]
        lines += [f"row {r.row}: {r.action} {r.key}" for r in self.rows if r.action != ERROR]
        lines += [f"new company: {name} (kind not set: an editor sets it)" for name in self.new_companies]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"error: row {row}, column {col or '-'}: {msg}" for row, col, msg in self.errors]
        if not self.ok:
            lines.append("Nothing was written: fix the errors and run again.")
        elif self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


def decode(data: bytes | str) -> str:
    """UTF-8 with or without BOM (Excel), falling back to cp1252 for old Excel exports."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; the delimiter (``,`` ``;`` or tab) is taken from the header."""
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return [], []
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        out.append((number, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return header, out


class Importer:
    """One table's importer. Subclasses set ``table`` and ``required`` and implement ``import_row``."""

    table: ClassVar[str]
    required: ClassVar[tuple[str, ...]] = ()
    #: True: ``import_row`` writes nothing and ``flush`` writes all rows at the end (see module doc).
    batched: ClassVar[bool] = False

    def __init__(self, dry_run: bool = False) -> None:
        self.report = ImportReport(self.table, dry_run)
        self.columns = COLUMNS[self.table]

    # --- running -------------------------------------------------------------------------------
    def run(self, data: bytes | str) -> ImportReport:
        header, rows = read_rows(decode(data))
        missing = [c for c in self.required if c not in header]
        if missing:
            self.report.file_errors.append(
                f"Missing column(s): {', '.join(missing)}. Expected headers: {', '.join(self.columns)}.")
            return self.report
        if not rows:
            self.report.file_errors.append("The file has no data rows.")
            return self.report
        self.header = frozenset(header)  # an importer may leave a field alone when its column is absent
        try:
            with transaction.atomic():
                self.load()
                self.prefetch([raw for _, raw in rows])
                for number, raw in rows:
                    self.report.rows.append(self._run_row(number, {c: raw.get(c, "") for c in self.columns}))
                if self.report.written:
                    self.flush()
                else:
                    transaction.set_rollback(True)
        except IntegrityError:
            # Validation passed, so another writer added a clashing row meanwhile (PostgreSQL; SQLite
            # holds the write lock for the whole run). The transaction rolled back: nothing written.
            self.report.file_errors.append(
                "Someone else changed the same records while this file was imported; nothing was written. "
                "Run the import again.")
        return self.report

    def _run_row(self, number: int, row: dict[str, str]) -> RowResult:
        result = RowResult(number, ERROR)
        self.row_number = number
        try:
            if self.batched:
                result.action, result.key = self.import_row(row)
            else:
                with transaction.atomic():  # a failed row leaves no partial write behind
                    result.action, result.key = self.import_row(row)
        except CellError as exc:
            result.errors.append((exc.column, exc.message))
        except ValidationError as exc:
            result.errors.extend(self._flatten(exc))
        return result

    @staticmethod
    def _flatten(exc: ValidationError) -> list[tuple[str, str]]:
        if hasattr(exc, "error_dict"):
            return [(col if col != "__all__" else "", msg) for col, errs in exc.error_dict.items()
                    for e in errs for msg in e.messages]
        return [("", m) for m in exc.messages]

    def load(self) -> None:
        """Load the lookups every row needs, once (designations, sources, companies)."""
        self.assets_by_name: dict[str, int] = dict(AssetDesignation.objects.values_list("normalized", "asset_id"))
        self.sources: dict[str, Source] = {s.url: s for s in Source.objects.all()}
        self.retitled_sources: dict[str, Source] = {}
        self._urls: dict[str, str | CellError] = {}
        self.companies: dict[str, Company] = {}
        for company in Company.objects.all():
            self.companies[normalize_name(company.name)] = company
        for alias in CompanyAlias.objects.select_related("company"):
            self.companies.setdefault(alias.normalized, alias.company)

    def prefetch(self, rows: list[dict[str, str]]) -> None:
        """Load what depends on the file's rows, in a few queries (e.g. the named assets' milestones)."""

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        raise NotImplementedError

    def flush(self) -> None:
        """Write what a ``batched`` importer planned; runs once, on a real run with no errors."""

    # --- cell parsers ----------------------------------------------------------------------------
    def asset_id(self, column: str, text: str) -> int:
        key = normalize_name(text)
        if not key:
            raise CellError(column, "Name the asset (its code or any alias).")
        if key not in self.assets_by_name:
            raise CellError(column, f"No asset is known as {text!r}: import it in the assets table first.")
        return self.assets_by_name[key]

    def source_url(self, column: str, url: str) -> str:
        """The validated URL; each distinct text is validated once (files cite a few sources many times)."""
        checked = self._urls.get(url)
        if checked is None:
            try:
                checked = validate_source_url(url)
            except ValidationError as exc:
                checked = CellError(column, exc.messages[0])
            self._urls[url] = checked
        if isinstance(checked, CellError):
            raise CellError(column, checked.message)
        return checked

    def source(self, column: str, url: str, title: str = "") -> Source:
        """The source with this URL, created if new; a title fills an empty one (``Source.fill_title``).

        A ``batched`` importer gets an unsaved Source for a new URL and a retitled one unsaved too:
        ``flush_sources`` writes them.
        """
        url = self.fits(column, Source, "url", self.source_url(column, url))
        self.fits("source_title", Source, "title", title)
        source = self.sources.get(url)
        if source is None:
            source = Source(url=url, title=title)
            if not self.batched:
                source.save()
            self.sources[url] = source
        elif source.fill_title(title):
            if self.batched:
                if source.pk is not None:
                    self.retitled_sources[url] = source
            else:
                source.save()
        return source

    def flush_sources(self) -> None:
        """Write the sources a ``batched`` run planned: new ones, then the ones that gained a title."""
        create_with_history(Source, [s for s in self.sources.values() if s.pk is None])
        update_with_history(Source, list(self.retitled_sources.values()), ["title"])

    def company(self, column: str, name: str) -> Company:
        name = " ".join(name.split())
        if not name:
            raise CellError(column, "A company name is required.")
        key = normalize_name(name)
        found = self.companies.get(key)
        if found is not None:
            return found
        company = Company.objects.create(name=name, slug=self._free_slug(name))
        self.companies[key] = company
        self.report.new_companies.append(name)
        stem = self._stem(key)
        similar = sorted({c.name for k, c in self.companies.items()
                          if c.pk != company.pk and stem and self._stem(k) == stem})
        if similar:
            self.report.warnings.append(
                f"New company {name!r} looks like known {', '.join(repr(s) for s in similar)}: "
                "use the known name if it is the same company.")
        return company

    @staticmethod
    def fits(column: str, model: type[models.Model], field: str, text: str) -> str:
        """``text``, if it fits the model field's ``max_length``: PostgreSQL would refuse it at write time
        (a 500), SQLite would store it; either way the row, not the run, must say so."""
        limit = model._meta.get_field(field).max_length  # type: ignore[union-attr]
        if limit is not None and len(text) > limit:
            raise CellError(column, f"At most {limit} characters here; this cell has {len(text)}.")
        return text

    @staticmethod
    def _stem(key: str) -> str:
        changed = True
        while changed:
            changed = False
            for suffix in _COMPANY_SUFFIXES:
                if key.endswith(suffix) and len(key) > len(suffix) + 2:
                    key, changed = key[: -len(suffix)], True
        return key

    @staticmethod
    def _free_slug(name: str) -> str:
        base = slugify_code(name)
        slug, n = base, 2
        while Company.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @staticmethod
    def choice(column: str, choices: type[models.TextChoices], text: str, default: str | None = None) -> str:
        if not text.strip() and default is not None:
            return default
        try:
            return parse_choice(choices, text)
        except ValueError as exc:
            raise CellError(column, str(exc)) from exc

    @staticmethod
    def date(column: str, text: str) -> Any:
        try:
            return parse_precise_date(text)
        except ValidationError as exc:
            raise CellError(column, exc.messages[0]) from exc

    @staticmethod
    def decimal(column: str, text: str) -> Decimal | None:
        text = text.replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise CellError(column, f"{text!r} is not a number.") from exc

    @staticmethod
    def integer(column: str, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not text.isdigit():
            raise CellError(column, f"{text!r} is not a whole number.")
        return int(text)

    @staticmethod
    def boolean(column: str, text: str) -> bool | None:
        key = text.strip().lower()
        if key in {"", "unknown", "n/a"}:
            return None
        if key in {"yes", "y", "true", "1", "cleavable"}:
            return True
        if key in {"no", "n", "false", "0", "non-cleavable", "noncleavable"}:
            return False
        raise CellError(column, f"{text!r} is not yes/no.")

    @staticmethod
    def items(text: str) -> list[str]:
        return [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()]

    @staticmethod
    def apply(obj: models.Model, values: dict[str, Any]) -> bool:
        """Set ``values`` on ``obj``; True when anything changed."""
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed
