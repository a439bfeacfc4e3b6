"""Trials import: upsert by any registry id, so a file never makes a second trial of one study.

A row names its trial by ``registry_ids`` (``;``-separated, any registry, any case: normalised by
``milestones.models.trials.normalize_registry_id``). If one of them is known the row updates that
trial and adds the others to it; ids that name two different trials are a row error. A blank cell
keeps what the trial has; a filled one replaces it (lists too). Dates are written at their precision
with an optional ``(actual)`` / ``(estimated)`` marker, e.g. ``2026-06 (estimated)``; enrollment the
same way, ``300 (anticipated)``.

Nothing is invented: an unknown asset or company (sponsor, collaborator) is a row error naming the
column; import them first. Conditions are indication names and are created when new, like the assets
import's indications. Rows are written as they go, each in a savepoint, inside the run's one
transaction (``Importer``): any error, or a dry run, rolls the whole file back.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

from milestones.models import Trial, TrialRegistryId, normalize_registry_id
from milestones.vocab import DateType, StudyType, TrialPhase, TrialStatus
from programs.dates import PreciseDate
from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Company, Indication
from programs.readpath import data_version
from programs.text import normalize_name

# "2026-06 (estimated)", "300 (anticipated)": the value and whether it happened.
_MARKED = re.compile(r"^(?P<value>.*?)\s*\((?P<kind>actual|estimated|anticipated|expected)\)\s*$", re.I)
_DATE_TYPES = {
    "actual": DateType.ACTUAL,
    "estimated": DateType.ESTIMATED,
    "anticipated": DateType.ESTIMATED,
    "expected": DateType.ESTIMATED,
}
_DATES = (("start", "start"), ("primary_completion", "primary_completion"), ("completion", "completion"))
# Model field -> CSV column, for the errors of ``Trial.full_clean``.
_FIELD_COLUMNS = {
    "overall_status": "status",
    "lead_sponsor": "sponsor",
    "start_date": "start",
    "primary_completion_date": "primary_completion",
    "completion_date": "completion",
    "enrollment_type": "enrollment",
    "source": "source_url",
}
_PHASE_SEPARATORS = re.compile(r"[;|]")


def marked(text: str) -> tuple[str, str]:
    """(value, DateType) of a cell like "2026-06 (estimated)"; the type is "" when not stated."""
    match = _MARKED.match(text.strip())
    if match is None:
        return text.strip(), DateType.NONE
    return match["value"], _DATE_TYPES[match["kind"].lower()]


class TrialImporter(Importer):
    table = "trials"
    required = ("registry_ids",)

    def load(self) -> None:
        super().load()
        self.companies_by_slug: dict[str, Company] = {c.slug: c for c in self.companies.values()}
        # "Partner Pharma" finds "Partner Pharma Inc" when no other company has that stem.
        self.companies_by_stem: dict[str, set[Company]] = {}
        for key, company in self.companies.items():
            self.companies_by_stem.setdefault(self._stem(key), set()).add(company)
        self.indications: dict[str, Indication] = {i.name.lower(): i for i in Indication.objects.all()}

    # --- cells ------------------------------------------------------------------------------------
    def registry_ids(self, text: str) -> list[str]:
        ids: list[str] = []
        for item in self.items(text):
            try:
                ids.append(normalize_registry_id(item)[1])
            except ValueError as exc:
                raise CellError("registry_ids", str(exc)) from None
        if not ids:
            raise CellError("registry_ids", "Give at least one registry id, e.g. NCT12345678.")
        return list(dict.fromkeys(ids))

    def known_company(self, column: str, name: str) -> Company:
        """A company by slug, name, alias, or name without its legal suffix when only one company has it;
        never created (a trial names companies already tracked)."""
        key = normalize_name(name)
        found = self.companies_by_slug.get(name.strip()) or self.companies.get(key)
        if found is None and key:
            same_stem = self.companies_by_stem.get(self._stem(key), set())
            found = next(iter(same_stem)) if len(same_stem) == 1 else None
        if found is None:
            raise CellError(column, f"No company is known as {name!r}: add it first (slug, name or alias).")
        return found

    def phases(self, text: str) -> list[str]:
        phases = [self.choice("phases", TrialPhase, p) for p in _PHASE_SEPARATORS.split(text) if p.strip()]
        return list(dict.fromkeys(phases))

    def precise(self, column: str, text: str) -> tuple[PreciseDate, str]:
        value, kind = marked(text)
        when = self.date(column, value)
        if when.date is None and kind:
            raise CellError(column, f"{text!r}: an actual or estimated date needs the date itself.")
        return when, kind if when.date else DateType.NONE

    def enrollment(self, text: str) -> tuple[int | None, str]:
        value, kind = marked(text)
        count = self.integer("enrollment", value.replace(",", ""))
        return count, kind if count is not None else DateType.NONE

    def indication(self, name: str) -> Indication:
        name = " ".join(name.split())
        self.fits("conditions", Indication, "name", name)
        found = self.indications.get(name.lower())
        if found is None:
            found = self.indications[name.lower()] = Indication.objects.create(name=name)
        return found

    # --- rows ---------------------------------------------------------------------------------------
    def _trial(self, ids: list[str]) -> Trial | None:
        owners = dict(TrialRegistryId.objects.filter(value__in=ids).values_list("value", "trial_id"))
        trials = set(owners.values())
        if len(trials) > 1:
            named = "; ".join(f"{value} is trial {pk}" for value, pk in sorted(owners.items()))
            raise CellError("registry_ids", f"These ids name different trials ({named}): one row is one trial.")
        return Trial.objects.filter(pk=trials.pop()).first() if trials else None

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        ids = self.registry_ids(row["registry_ids"])
        values: dict[str, Any] = {}
        if row["acronym"]:
            values["acronym"] = self.fits("acronym", Trial, "acronym", row["acronym"])
        if row["title"]:
            values["title"] = self.fits("title", Trial, "title", row["title"])
        if row["phases"]:
            values["phases"] = self.phases(row["phases"])
        if row["study_type"]:
            values["study_type"] = self.choice("study_type", StudyType, row["study_type"])
        if row["status"]:
            values["overall_status"] = self.choice("status", TrialStatus, row["status"])
        if row["sponsor"]:
            values["lead_sponsor"] = self.known_company("sponsor", row["sponsor"])
        if row["countries"]:
            values["countries"] = self.items(row["countries"])
        if row["enrollment"]:
            values["enrollment"], values["enrollment_type"] = self.enrollment(row["enrollment"])
        for column, name in _DATES:
            if row[column]:
                when, kind = self.precise(column, row[column])
                values.update({f"{name}_date": when.date, f"{name}_precision": when.precision, f"{name}_type": kind})
        if row["source_url"]:
            values["source"] = self.source("source_url", row["source_url"])
        collaborators = (
            [self.known_company("collaborators", n) for n in self.items(row["collaborators"])]
            if row["collaborators"]
            else None
        )
        assets = [self.asset_id("assets", n) for n in self.items(row["assets"])] if row["assets"] else None
        conditions = [self.indication(n) for n in self.items(row["conditions"])] if row["conditions"] else None

        trial = self._trial(ids)
        created = trial is None
        trial = trial or Trial()
        changed = self.apply(trial, values)
        if created or changed:
            try:
                trial.full_clean(exclude=["lead_sponsor", "source"])
            except ValidationError as exc:
                raise ValidationError({_FIELD_COLUMNS.get(f, f): errs for f, errs in exc.error_dict.items()}) from None
            trial.save()
        known = set(trial.registry_ids.values_list("value", flat=True)) if not created else set()
        for value in ids:
            if value not in known:
                TrialRegistryId.objects.create(trial=trial, value=value)
                changed = True
        for relation, wanted in (("collaborators", collaborators), ("conditions", conditions)):
            if wanted is not None and self._set(trial, relation, {o.pk for o in wanted}):
                changed = True
        if assets is not None and self._set(trial, "assets", set(assets)):
            changed = True
        if changed:
            # A relation change saves no row, so no signal moves the data version: the asset pages cached
            # under it would go on showing the old trial list.
            data_version.bump()
        if not (created or changed):
            return UNCHANGED, ids[0]
        return (CREATED if created else UPDATED), ids[0]

    @staticmethod
    def _set(trial: Trial, relation: str, wanted: set[int]) -> bool:
        manager = getattr(trial, relation)
        if set(manager.values_list("pk", flat=True)) == wanted:
            return False
        manager.set(wanted)
        return True
