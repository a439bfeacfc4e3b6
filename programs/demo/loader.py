"""Loads ``programs.demo.data`` idempotently, all or nothing.

Every record is looked up by its natural key. Missing: created. Present with the same values:
left alone (so a second run changes nothing). Present with different values: ``DemoConflict``
naming the record and field, and the whole transaction rolls back.

A database loaded by an earlier, wrong version of the set is corrected first: ``data.CORRECTIONS``
replace a value only in a record nobody edited since the demo wrote it (``version`` 1) that still
holds exactly the old value, and ``data.RETIRED`` rows are deleted. An editor's change is never
overwritten here: it stays, and the comparison then reports it as a conflict.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.dates import PreciseDate
from programs.demo import data
from programs.derivation.derived import recompute_asset
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    CompanyAlias,
    Deal,
    DealParty,
    DealTerms,
    Indication,
    Payload,
    Platform,
    Source,
    Target,
)
from programs.text import slugify_code


class DemoConflict(Exception):
    """The database holds a record the demo set also defines, with other values."""


def _same(have: Any, wanted: Any) -> bool:
    """Equal as stored: Decimal("3.50") equals "3.5"; None equals ""."""
    if isinstance(have, Decimal) and wanted not in (None, ""):
        return have == Decimal(str(wanted))
    return str(have if have is not None else "") == str(wanted if wanted is not None else "")


class _Loader:
    def __init__(self) -> None:
        self.created = 0
        self.corrected = 0
        self.sources: dict[str, Source] = {}
        self.companies: dict[str, Company] = {}
        self.assets: dict[str, Asset] = {}

    def ensure(self, model: type[models.Model], key: dict[str, Any], values: dict[str, Any] | None = None,
               initial: dict[str, Any] | None = None) -> Any:
        """The record with ``key``: created with ``values`` and ``initial`` when missing, else compared
        with ``values`` (``initial`` is only a starting value an editor may change, e.g. ``verified``)."""
        values = values or {}
        obj = model._default_manager.filter(**key).first()
        if obj is None:
            obj = model._default_manager.create(**key, **values, **(initial or {}))
            self.created += 1
            return obj
        for field, wanted in values.items():
            have = getattr(obj, field)
            if isinstance(have, models.Model):
                have = have.pk
                wanted = wanted.pk if isinstance(wanted, models.Model) else wanted
            if not _same(have, wanted):
                raise DemoConflict(
                    f"{model.__name__} {key} already exists with {field}={have!r}; the demo set has {wanted!r}. "
                    "Nothing was written."
                )
        return obj

    def indication(self, name: str | None) -> Indication | None:
        return self.ensure(Indication, {"name": name}) if name else None

    def correct(self) -> int:
        """Apply ``data.CORRECTIONS`` and delete ``data.RETIRED`` rows; how many records changed."""
        # Per record, every correction is judged against the record as found (untouched: version 1),
        # then it is saved once: a record with two stale fields gets both corrected.
        fixes: dict[tuple[str, int], tuple[models.Model, dict[str, Any]]] = {}
        for label, lookup, field, old, new in data.CORRECTIONS:
            obj = apps.get_model(label)._default_manager.filter(**lookup).first()
            if obj is None or getattr(obj, "version", 1) != 1 or not _same(getattr(obj, field), old):
                continue
            fixes.setdefault((label, obj.pk), (obj, {}))[1][field] = new
        for obj, values in fixes.values():
            for field, new in values.items():
                setattr(obj, field, new)
            obj.save()
        deleted = 0
        for label, lookup in data.RETIRED:
            deleted += apps.get_model(label)._default_manager.filter(**lookup).delete()[0]
        return len(fixes) + deleted

    def run(self) -> int:
        self.corrected = self.correct()
        for slug, s in data.SOURCES.items():
            self.sources[slug] = self.ensure(
                Source, {"url": s["url"]},
                {"title": s["title"], "publisher": s["publisher"], "published_on": s.get("published_on"),
                 "notes": s.get("notes", "")},
                initial={"verified": s.get("verified", True)},
            )
        for c in data.COMPANIES:
            company = self.ensure(
                Company, {"name": c["name"]},
                {"slug": slugify_code(c["name"]), "kind": c["kind"], "country": c["country"],
                 "website": c.get("website", "")},
            )
            company.sources.add(self.sources[c["source"]])
            self.companies[c["name"]] = company
            for alias in c.get("aliases", []):
                self.ensure(CompanyAlias, {"name": alias}, {"company": company})
            for name, kind in c.get("platforms", []):
                self.ensure(Platform, {"company": company, "name": name},
                            {"kind": kind, "source": self.sources[c["source"]]})
        payloads = {
            name: self.ensure(Payload, {"name": name}, {"payload_class": cls, "mechanism": mech})
            for name, cls, mech in data.PAYLOADS
        }
        for a in data.ASSETS:
            self._asset(a, payloads)
        for m in data.MILESTONES:
            when = PreciseDate.parse(m["date"])
            self.ensure(
                Milestone,
                {"asset": self.assets[m["asset"]], "kind": m["kind"], "agency": m.get("agency", ""),
                 "phase": m.get("phase", ""), "date": when.date},
                {"status": m.get("status", "occurred"), "date_precision": when.precision,
                 "indication": self.indication(m.get("indication")), "source": self.sources[m["source"]]},
            )
        for s in data.SAFETY:
            self.ensure(
                SafetyEvent, {"asset": self.assets[s["asset"]], "term": s["term"], "source": self.sources[s["source"]]},
                {"category": s["category"], "grade_band": s.get("grade_band", "any"),
                 "max_grade": s.get("max_grade"), "incidence_percent": Decimal(s["incidence_percent"]),
                 "study": s.get("study", ""), "population": s.get("population", "")},
            )
        for s in data.SAFETY_MEASURES:
            self.ensure(
                SafetyMeasure,
                {"asset": self.assets[s["asset"]], "name": s["name"], "source": self.sources[s["source"]]},
                {"value": Decimal(s["value"]), "unit": s["unit"], "study": s.get("study", "")},
            )
        for e in data.EFFICACY:
            self.ensure(
                EfficacyReadout,
                {"asset": self.assets[e["asset"]], "endpoint": e["endpoint"], "source": self.sources[e["source"]],
                 "dose_group": e.get("dose_group", "")},
                {"value": Decimal(e["value"]), "unit": e["unit"], "population": e.get("population", ""),
                 "line_of_therapy": e.get("line_of_therapy", ""), "indication": self.indication(e.get("indication"))},
            )
        for d in data.DEALS:
            self._deal(d)
        for asset in self.assets.values():
            recompute_asset(asset.pk)
        return self.created

    def _asset(self, a: dict[str, Any], payloads: dict[str, Payload]) -> None:
        originator = self.companies[a["originator"]]
        platform = lambda name: Platform.objects.get(company=originator, name=name) if name else None  # noqa: E731
        asset = self.ensure(
            Asset, {"code": a["code"]},
            {"slug": slugify_code(a["code"]), "inn": a.get("inn", ""), "originator": originator,
             "antibody_format": a.get("antibody_format", "monospecific_igg"),
             "conjugation_method": a.get("conjugation_method", "unknown"),
             "conjugation_technology": a.get("conjugation_technology", ""),
             "conjugation_platform": platform(a.get("conjugation_platform")),
             "masked": a.get("masked", False), "masking_platform": platform(a.get("masking_platform")),
             "dar": Decimal(a["dar"]) if a.get("dar") else None, "dar_kind": a.get("dar_kind", "nominal"),
             "linker_type": a.get("linker_type", "unknown"), "linker_payload": a.get("linker_payload", ""),
             "linker_cleavable": a.get("linker_cleavable"), "linker_chemistry": a.get("linker_chemistry", ""),
             "description": a.get("description", "")},
        )
        self.assets[a["code"]] = asset
        names = [(a["code"], "code")] + ([(a["inn"], "inn")] if a.get("inn") else [])
        names += [(brand, "brand") for brand in a.get("brands", [])]
        names += [(alias, "alias") for alias in a.get("aliases", [])]
        for name, kind in names:
            self.ensure(AssetDesignation, {"name": name}, {"asset": asset, "kind": kind})
        for position, symbol in enumerate(a.get("targets", []), start=1):
            self.ensure(AssetTarget, {"asset": asset, "position": position},
                        {"target": Target.objects.resolve(symbol)})
        for position, name in enumerate(a.get("payloads", []), start=1):
            self.ensure(AssetPayload, {"asset": asset, "payload": payloads[name]}, {"position": position})
        asset.sources.add(*(self.sources[s] for s in a.get("sources", [])))
        for name in a.get("indications", []):
            ind = self.indication(name)
            asset.indications.add(ind)

    def _deal(self, d: dict[str, Any]) -> None:
        when = PreciseDate.parse(d["announced"])
        platform = None
        if d.get("platform"):
            company, name = d["platform"]
            platform = Platform.objects.get(company=self.companies[company], name=name)
        deal = self.ensure(
            Deal, {"title": d["title"]},
            {"kind": d["kind"], "announced_on": when.date, "announced_precision": when.precision,
             "territory": d.get("territory", ""), "status": d.get("status", "active"), "platform": platform,
             "summary": d.get("summary", ""), "source": self.sources[d["source"]]},
        )
        for company, role in d["parties"]:
            self.ensure(DealParty, {"deal": deal, "company": self.companies[company], "role": role})
        deal.assets.add(*(self.assets[code] for code in d.get("assets", [])))
        for t in d.get("terms", []):
            self.ensure(
                DealTerms, {"deal": deal, "source": self.sources[t["source"]]},
                {"currency": t["currency"], "upfront": t.get("upfront"), "near_term": t.get("near_term"),
                 "milestones": t.get("milestones"),
                 "total_value": t.get("total_value"), "stands": t["stands"], "note": t.get("note", "")},
            )


def load_demo() -> int:
    """Load the demo set in one transaction; returns how many records were created."""
    with transaction.atomic():
        return _Loader().run()
