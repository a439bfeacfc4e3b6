"""Synthetic data at scale for benchmarks and load tests (``manage.py generate_data``).

Realistic enough to stress the pages: targets skewed towards the popular ones (ERBB2, TROP2, EGFR,
...), real bispecific pairs (EGFR x ERBB3, EGFR x MUC1, ERBB2 biparatopic), a phase funnel, about
ten milestones per clinical asset (approvals, conversions, label expansions, withdrawals and
re-approvals per indication and agency: ``programs.generation.events``), a trial per group of phase
starts (``programs.generation.trials``), deals with parties and terms, safety events. Deterministic
for a seed. Fast: rows get explicit primary keys so every table is written in one bulk pass, and
the derived asset columns and ``RegulatoryStatus`` rows are computed in Python by
``programs.derivation.derived.derive_all`` (the same rules as ``recompute_asset``) before the assets are
inserted, so a recompute of generated data changes nothing. Historical (simple-history) rows are
not written for generated data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from milestones.models import Milestone, RegulatoryStatus, SafetyEvent, Trial, TrialRegistryId
from milestones.vocab import Assessment, GradeBand, MilestoneKind, MilestoneStatus, SafetyCategory
from programs.derivation import summaries
from programs.derivation.derived import derive_all
from programs.generation.events import Ev, regulatory_events
from programs.generation.trials import TrialsMixin
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    Deal,
    DealParty,
    DealTerms,
    Indication,
    Payload,
    Source,
    Target,
    TargetPair,
)
from programs.readpath import data_version
from programs.text import normalize_name, slugify_code
from programs.vocab import (
    AntibodyFormat,
    ConjugationMethod,
    DatePrecision,
    DealKind,
    DealRole,
    DesignationKind,
    PayloadClass,
    Phase,
)

POPULAR = ["ERBB2", "TACSTD2", "EGFR", "ERBB3", "NECTIN4", "CLDN18.2", "CD276", "FOLR1", "MET", "CEACAM5",
           "MUC1", "ROR1", "CDH6", "TROP2", "PTK7", "DLL3", "B7-H4", "CD274"]
REAL_PAIRS = [("EGFR", "ERBB3"), ("EGFR", "MUC1"), ("EGFR", "MET"), ("ERBB2", "ERBB3"), ("TACSTD2", "NECTIN4"),
              ("EGFR", "TACSTD2"), ("CD276", "VTCN1"), ("ERBB2", "TACSTD2")]
PAYLOADS = [("DXd", PayloadClass.TOPO1), ("SN-38", PayloadClass.TOPO1), ("exatecan", PayloadClass.TOPO1),
            ("Ed-04", PayloadClass.TOPO1), ("MMAE", PayloadClass.TUBULIN), ("MMAF", PayloadClass.TUBULIN),
            ("DM1", PayloadClass.TUBULIN), ("DM4", PayloadClass.TUBULIN), ("PBD dimer", PayloadClass.DNA_DAMAGING),
            ("calicheamicin", PayloadClass.DNA_DAMAGING), ("alpha-amanitin", PayloadClass.RNA_POLYMERASE),
            ("TLR7 agonist", PayloadClass.IMMUNE_MODULATOR)]
COUNTRIES = ["CN"] * 45 + ["US"] * 30 + ["JP"] * 6 + ["KR"] * 6 + ["DE", "GB", "CH", "FR", "AU", "CA"] * 2 + ["SE"]
INDICATIONS = ["Non-small cell lung cancer", "Breast cancer", "Gastric cancer", "Colorectal cancer",
               "Ovarian cancer", "Urothelial cancer", "Head and neck cancer", "Pancreatic cancer", "Solid tumours"]
# highest stage reached -> weight (a funnel)
FUNNEL = [(Phase.PRECLINICAL, 30), (Phase.IND_ENABLING, 10), (Phase.IND, 14), (Phase.PHASE1, 22),
          (Phase.PHASE1_2, 6), (Phase.PHASE2, 9), (Phase.PHASE2_3, 2), (Phase.PHASE3, 4.5),
          (Phase.FILED, 1), (Phase.APPROVED, 1.5)]
CLINICAL_STEPS = [Phase.PHASE1, Phase.PHASE1_2, Phase.PHASE2, Phase.PHASE2_3, Phase.PHASE3]
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "ka", "le", "mi", "no", "pu", "ra", "se", "ti", "vo", "xa", "zu"]
BATCH = 2000
NULL = "\\N"  # COPY's NULL marker; no generated text equals it
# No occurred event is generated after this day (a fixed day, not today: the data depend on the seed only).
HORIZON = dt.date(2026, 6, 30)
REGULATORY_FIELDS = ("indication_id", "agency", "state", "approval_type", "converted", "phase", "since",
                     "since_precision")


@dataclass
class Generated:
    assets: int = 0
    milestones: int = 0
    deals: int = 0
    safety_events: int = 0
    companies: int = 0
    trials: int = 0
    regulatory_rows: int = 0


def _word(i: int) -> str:
    """A pronounceable, unique word for a number (unique INNs and codes)."""
    out = ""
    i += len(SYLLABLES)
    while i:
        i, r = divmod(i, len(SYLLABLES))
        out += SYLLABLES[r]
    return out


def _db_text(value: Any) -> Any:
    """A Python value as the text both COPY and SQLite accept; None stays None (NULL)."""
    if value is None:
        return None
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return value  # SQLite stores 1/0; COPY's csv writes True/False, which PostgreSQL reads as booleans
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


class _Writer:
    """Collects plain tuples per table and writes them without building model instances.

    PostgreSQL: ``COPY ... FROM STDIN`` (CSV, NULL written as ``\\N``). Other
    backends: ``executemany`` INSERTs. Columns left out of a row get the field's default.
    """

    def __init__(self) -> None:
        self.now = timezone.now()
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self.columns: dict[type[models.Model], list[tuple[str, Any]]] = {}
        self.order: list[type[models.Model]] = []

    def add(self, model: type[models.Model], values: dict[str, Any]) -> None:
        template = self.columns.get(model)
        if template is None:
            template = self._template(model)
        self.rows[model].append(
            tuple(_db_text(values[name]) if name in values else default for name, default in template)
        )

    def _template(self, model: type[models.Model]) -> list[tuple[str, Any]]:
        """(attname, value when not given) per concrete column, computed once per table."""
        template = []
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = _db_text(self.now)
            elif f.has_default():
                default = _db_text(f.get_default())
            else:
                default = None if f.null else ""
            template.append((f.attname, default))
        self.columns[model] = template
        self.rows[model] = []
        self.order.append(model)
        return template

    def flush(self) -> None:
        for model in self.order:
            rows = self.rows[model]
            if not rows:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            fields = {f.attname: f.column for f in model._meta.concrete_fields}
            cols = ", ".join(connection.ops.quote_name(fields[name]) for name, _ in self.columns[model])
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    buf = io.StringIO()
                    csv.writer(buf).writerows(tuple(NULL if v is None else v for v in row) for row in rows)
                    buf.seek(0)
                    cursor.cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')", buf)
                else:
                    marks = ", ".join(["%s"] * len(self.columns[model]))
                    for i in range(0, len(rows), BATCH):
                        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows[i:i + BATCH])
            rows.clear()


class _Ids:
    """Hands out primary keys above the current maximum of each table."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self.next:
            self.next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """After explicit primary keys, move PostgreSQL sequences past them (a no-op on SQLite)."""
    sql = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


class Generator(TrialsMixin):
    """One generation run; ``run`` writes everything and returns the counts."""

    def __init__(self, n_assets: int, seed: int, progress: Callable[[str], None] | None = None,
                 deals: int | None = None) -> None:
        self.n = n_assets
        self.n_deals = n_assets // 10 if deals is None else deals
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = _Ids()
        self.out = _Writer()
        self.progress = progress or (lambda _msg: None)
        self.now = timezone.now()
        self.rank = {p.value: Phase.rank(p.value) for p in Phase}
        self.horizon = HORIZON

    # --- reference rows -----------------------------------------------------------------
    def _reference(self) -> None:
        rng = self.rng
        self.targets = {t.symbol: t for t in Target.objects.prefetch_related("aliases")}
        if not self.targets:
            raise RuntimeError("No targets: run migrations first (they load the reference targets).")
        symbols = sorted(self.targets)
        rng.shuffle(symbols)
        popular = [s for s in POPULAR if s in self.targets]
        self.target_order = popular + [s for s in symbols if s not in popular]
        self.target_weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.target_order))]
        self.target_names = {s: [s, *[a.name for a in t.aliases.all()]] for s, t in self.targets.items()}
        self.pairs = [p for p in REAL_PAIRS if p[0] in self.targets and p[1] in self.targets]
        self.payloads = [Payload.objects.get_or_create(name=n, defaults={"payload_class": c})[0] for n, c in PAYLOADS]
        self.indication_names = {Indication.objects.get_or_create(name=n)[0].pk: n for n in INDICATIONS}
        self.indications = list(self.indication_names)
        self.pair_ids: dict[tuple[int, int], int] = {(p.low_id, p.high_id): p.pk for p in TargetPair.objects.all()}

    def _pair_id(self, a: Target, b: Target) -> int:
        key = (min(a.pk, b.pk), max(a.pk, b.pk))
        if key not in self.pair_ids:
            self.pair_ids[key] = TargetPair.objects.get_or_create(low_id=key[0], high_id=key[1])[0].pk
        return self.pair_ids[key]

    def _companies(self) -> None:
        rng = self.rng
        self.companies: list[tuple[int, str]] = []
        for _ in range(max(10, self.n // 20)):
            pk = self.ids.take(Company)
            suffix = rng.choice(["Bio", "Therapeutics", "Pharma", "Biosciences", "Oncology"])
            name = f"{_word(pk).capitalize()} {suffix}"
            self.out.add(Company, {"id": pk, "name": name, "slug": slugify_code(name),
                                   "kind": rng.choice(["biotech"] * 4 + ["pharma"]), "country": rng.choice(COUNTRIES)})
            self.companies.append((pk, name))
        self.big_pharma = self.companies[: max(3, len(self.companies) // 50)]
        self.sources: list[int] = []
        publishers = ["Company press release", "Trade press", "Registry", "Congress abstract"]
        for _ in range(max(10, self.n // 10)):
            pk = self.ids.take(Source)
            self.out.add(Source, {"id": pk, "url": f"https://generated.example.org/s{self.seed}/{pk}",
                                  "title": f"Generated source {pk}", "publisher": rng.choice(publishers)})
            self.sources.append(pk)
        self.out.flush()

    # --- assets -------------------------------------------------------------------------
    def _pick_targets(self) -> tuple[str, list[str]]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.66:
            return AntibodyFormat.MONOSPECIFIC_IGG, rng.choices(self.target_order, self.target_weights)
        if roll < 0.88:
            if self.pairs and rng.random() < 0.55:
                pair = list(rng.choice(self.pairs))
                rng.shuffle(pair)  # editors type pairs in either order
                return AntibodyFormat.BISPECIFIC, pair
            a, b = rng.choices(self.target_order, self.target_weights, k=2)
            return (AntibodyFormat.BISPECIFIC, [a, b]) if a != b else (AntibodyFormat.BIPARATOPIC, [a, a])
        if roll < 0.94:
            symbol = "ERBB2" if "ERBB2" in self.targets and rng.random() < 0.5 else rng.choice(self.target_order[:10])
            return AntibodyFormat.BIPARATOPIC, [symbol, symbol]
        return AntibodyFormat.FRAGMENT_OTHER, rng.choices(self.target_order, self.target_weights)

    def _milestones(self, asset: dict[str, Any], stage: str) -> list[Milestone]:
        """A plausible history up to ``stage`` plus a planned next step, with its trials; dates never go
        back, and no occurred event is later than ``HORIZON``."""
        rng = self.rng
        rank = self.rank[stage]
        agencies = ["FDA", "NMPA"] if rng.random() < 0.5 else ["NMPA", "FDA"]
        # Most programmes file in more than one market (China and the US, often Europe or Japan too).
        agencies = agencies[: rng.choices([1, 2], [35, 65])[0]]
        if len(agencies) == 2 and rng.random() < 0.35:
            agencies.append(rng.choice(["EMA", "PMDA", "MFDS"]))
        indications = rng.sample(self.indications, rng.randrange(1, 5))
        events: list[Ev] = []
        if rank >= self.rank[Phase.IND_ENABLING]:
            events += [Ev(MilestoneKind.IND_SUBMITTED, a) for a in agencies]
            events += [Ev(MilestoneKind.IND_ACCEPTED, a) for a in agencies]
        if rank >= self.rank[Phase.IND]:
            events += [Ev(MilestoneKind.IND_CLEARED, a) for a in agencies]
        top_step = None
        for step in CLINICAL_STEPS:
            if rank >= self.rank[step]:
                top_step = step
                if step == Phase.PHASE1:
                    events.append(Ev(MilestoneKind.FIRST_PATIENT_DOSED, agencies[0], Phase.PHASE1, indications[0]))
                events += [Ev(MilestoneKind.PHASE_STARTED, a, step, ind) for a in agencies for ind in indications[:3]]
        if rank >= self.rank[Phase.PHASE1] and rng.random() < 0.5:
            kind = rng.choice([MilestoneKind.FAST_TRACK, MilestoneKind.BREAKTHROUGH, MilestoneKind.ORPHAN_DRUG])
            events.append(Ev(kind, "FDA", indication=indications[0]))
        events += regulatory_events(rng, agencies, indications, filed=rank >= self.rank[Phase.FILED],
                                    approved=rank >= self.rank[Phase.APPROVED])
        if rank >= self.rank[Phase.PHASE1] and rng.random() < 0.04:
            events += [Ev(MilestoneKind.CLINICAL_HOLD, agencies[0]), Ev(MilestoneKind.HOLD_LIFTED, agencies[0],
                                                                        lifts=True)]
        # Gaps first, so the history can end before the horizon: more than a quarter between steps
        # (no two events of one kind share a period), weeks between the parallel starts of one step.
        gaps = []
        for i, ev in enumerate(events):
            prev = events[i - 1] if i else None
            # Parallel: one step's starts (or IND steps) in several markets or indications, never one key twice.
            parallel = (prev is not None and (prev.kind, prev.phase) == (ev.kind, ev.phase)
                        and ev.kind in (MilestoneKind.PHASE_STARTED, *MilestoneKind.ind_kinds()))
            gaps.append(0 if ev.same_day else rng.randrange(7, 45) if parallel else rng.randrange(95, 240))
        day = min(dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 4000)),
                  HORIZON - dt.timedelta(days=sum(gaps)))
        values: list[dict[str, Any]] = []
        source = asset["source_id"]
        hold: int | None = None
        when, precision = day, DatePrecision.DAY
        for ev, gap in zip(events, gaps, strict=True):
            if not ev.same_day:
                day += dt.timedelta(days=gap)
                precision = rng.choices([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER], [7, 2, 1])[0]
                when = day if precision == DatePrecision.DAY else day.replace(day=1)
            row = self._milestone(asset["id"], ev, MilestoneStatus.OCCURRED, when, precision, source)
            if ev.kind == MilestoneKind.CLINICAL_HOLD:
                hold = row["id"]
            row["lifts_id"] = hold if ev.lifts else None
            values.append(row)
        nxt = next((s for s in CLINICAL_STEPS if self.rank[s] > rank), None)
        if nxt is not None and rng.random() < 0.7:
            later = day + dt.timedelta(days=rng.randrange(90, 700))
            start = dt.date(later.year, 3 * ((later.month - 1) // 3) + 1, 1)
            planned = Ev(MilestoneKind.PHASE_STARTED, agencies[0], nxt, indications[0])
            values.append(self._milestone(asset["id"], planned, MilestoneStatus.PLANNED, start, DatePrecision.QUARTER,
                                          source))
        self._trials(asset, values, top_step if rank < self.rank[Phase.FILED] else None)
        out = []
        for row in values:
            self.out.add(Milestone, row)
            out.append(Milestone(**row))  # unsaved: derive_all() reads its properties (is_overdue, when, ...)
        return out

    def _milestone(self, asset_id: int, ev: Ev, status: str, when: dt.date, precision: str,
                   source: int) -> dict[str, Any]:
        planned = status == MilestoneStatus.PLANNED
        return {"id": self.ids.take(Milestone), "asset_id": asset_id, "kind": ev.kind, "agency": ev.agency,
                "phase": ev.phase, "status": status, "date": when, "date_precision": precision,
                "planned_date": when if planned else None, "planned_precision": precision if planned else "",
                "indication_id": ev.indication, "approval_type": ev.approval_type, "outcome": ev.outcome,
                "source_id": source, "trial_id": "", "trial_record_id": None}

    def _asset_batch(self, count: int) -> None:
        rng = self.rng
        stages = [p for p, _ in FUNNEL]
        weights = [w for _, w in FUNNEL]
        for _ in range(count):
            originator_id, originator_name = rng.choice(self.companies)
            pk = self.ids.take(Asset)
            code = f"{_word(originator_id)[:3].upper()}-{pk:06d}"
            fmt, symbols = self._pick_targets()
            payloads = [rng.choice(self.payloads)]
            if rng.random() < 0.03:
                second = rng.choice(self.payloads)
                if second != payloads[0]:
                    payloads.append(second)
            inn = ""
            if rng.random() < 0.2:
                inn = (f"{_word(pk)}{rng.choice(['tamab', 'zumab', 'ximab'])} "
                       f"{rng.choice(['vedotin', 'deruxtecan', 'govitecan', 'tirumotecan'])}")
            status = "discontinued" if rng.random() < 0.05 else "active"
            stage = rng.choices(stages, weights)[0]
            ms = self._milestones({"id": pk, "code": code, "originator_id": originator_id, "status": status,
                                   "source_id": rng.choice(self.sources)}, stage)
            derived, reg = derive_all(SimpleNamespace(status=status), ms)  # type: ignore[arg-type]
            for position, row in enumerate(reg.rows):
                self.out.add(RegulatoryStatus, {
                    "id": self.ids.take(RegulatoryStatus), "asset_id": pk, "position": position,
                    **{f: getattr(row, f) for f in REGULATORY_FIELDS},
                })
            self.result.regulatory_rows += len(reg.rows)
            target_objs = [self.targets[s] for s in symbols]
            masked = rng.random() < 0.06
            search = [code, inn, originator_name, *[n for s in dict.fromkeys(symbols) for n in self.target_names[s]]]
            self.out.add(Asset, {
                "id": pk, "code": code, "slug": slugify_code(code), "inn": inn, "originator_id": originator_id,
                "status": status, "antibody_format": fmt, "masked": masked,
                "conjugation_method": rng.choice(list(ConjugationMethod.values)),
                "dar": Decimal(rng.choice(["2", "4", "4", "7.8", "8", "3.5"])) if rng.random() < 0.7 else None,
                "linker_cleavable": rng.choice([True, True, True, False, None]),
                "target_pair_id": self._pair_id(target_objs[0], target_objs[1]) if len(target_objs) == 2 else None,
                "search_text": " ".join(dict.fromkeys(n for n in search if n)),
                "derived_at": self.now, "derived_dirty": False, **derived,
            })
            for pos, t in enumerate(target_objs, 1):
                self.out.add(AssetTarget, {"id": self.ids.take(AssetTarget), "asset_id": pk, "target_id": t.pk,
                                           "position": pos})
            for pos, p in enumerate(payloads, 1):
                self.out.add(AssetPayload, {"id": self.ids.take(AssetPayload), "asset_id": pk, "payload_id": p.pk,
                                            "position": pos})
            for name, kind in [(code, DesignationKind.CODE), (inn, DesignationKind.INN)]:
                if name:
                    self.out.add(AssetDesignation, {"id": self.ids.take(AssetDesignation), "asset_id": pk,
                                                    "name": name, "kind": kind, "normalized": normalize_name(name)})
            if self.rank.get(derived["highest_phase"], -1) >= self.rank[Phase.PHASE1]:
                self._safety(pk, code)
            self.assets_made.append((pk, originator_id))
            self.result.assets += 1
            self.result.milestones += len(ms)
        self.out.flush()

    def _safety(self, asset_id: int, code: str) -> None:
        rng = self.rng
        for category in rng.sample(list(SafetyCategory.values), rng.randrange(1, 4)):
            total = rng.randrange(20, 400)
            assessed = rng.random() < 0.9
            n = rng.randrange(0, total // 3 + 1) if assessed else None
            self.out.add(SafetyEvent, {
                "id": self.ids.take(SafetyEvent), "asset_id": asset_id, "source_id": rng.choice(self.sources),
                "category": category, "term": category.replace("_", " "), "grade_band": GradeBand.ANY,
                "assessment": Assessment.REPORTED if assessed else Assessment.NOT_ASSESSED, "n": n, "n_total": total,
                "incidence_percent": (Decimal(n * 100) / total).quantize(Decimal("0.1")) if n is not None else None,
                "study": f"Phase 1 study of {code}", "data_cutoff_precision": DatePrecision.UNKNOWN,
            })
            self.result.safety_events += 1

    def _deals(self) -> None:
        rng = self.rng
        through = Deal.assets.through
        for _ in range(self.n_deals):
            asset_id, originator_id = rng.choice(self.assets_made)
            partner_id, partner_name = rng.choice(self.big_pharma)
            if partner_id == originator_id:  # a big pharma's own asset: licensed to another one
                partner_id, partner_name = next(c for c in self.big_pharma if c[0] != originator_id)
            pk = self.ids.take(Deal)
            kind = rng.choice([DealKind.LICENCE, DealKind.LICENCE, DealKind.CO_DEVELOPMENT, DealKind.OPTION])
            announced = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3900))
            source = rng.choice(self.sources)
            self.out.add(Deal, {"id": pk, "title": f"{partner_name} {kind.label.lower()} deal #{pk}", "kind": kind,
                                "announced_on": announced, "territory": "Worldwide", "source_id": source})
            role = DealRole.CO_DEVELOPER if kind == DealKind.CO_DEVELOPMENT else DealRole.LICENSEE
            self.out.add(DealParty, {"id": self.ids.take(DealParty), "deal_id": pk, "company_id": originator_id,
                                     "role": DealRole.LICENSOR})
            self.out.add(DealParty, {"id": self.ids.take(DealParty), "deal_id": pk, "company_id": partner_id,
                                     "role": role})
            self.out.add(through, {"id": self.ids.take(through), "deal_id": pk, "asset_id": asset_id})
            upfront, miles = Decimal(rng.randrange(5, 800)), Decimal(rng.randrange(50, 5000))
            self.out.add(DealTerms, {"id": self.ids.take(DealTerms), "deal_id": pk, "source_id": source,
                                     "upfront": upfront, "milestones": miles, "total_value": upfront + miles,
                                     "stands": True})
            other = rng.choice(self.sources)
            if rng.random() < 0.1 and other != source:
                self.out.add(DealTerms, {"id": self.ids.take(DealTerms), "deal_id": pk, "source_id": other,
                                         "total_value": (upfront + miles) * 10, "stands": False,
                                         "note": "as reported by the press"})
            self.result.deals += 1
        self.out.flush()

    def run(self) -> Generated:
        self.result = Generated()
        self.assets_made: list[tuple[int, int]] = []
        with transaction.atomic():
            self._reference()
            self._companies()
            self.result.companies = len(self.companies)
            done = 0
            while done < self.n:
                count = min(BATCH * 5, self.n - done)
                self._asset_batch(count)
                done += count
                self.progress(f"{done} assets")
            self._deals()
            _reset_sequences([Company, Source, Asset, AssetTarget, AssetPayload, AssetDesignation, Milestone,
                              SafetyEvent, Deal, DealParty, DealTerms, Deal.assets.through, RegulatoryStatus, Trial,
                              TrialRegistryId, Trial.assets.through, Trial.conditions.through])
        data_version.bump()  # bulk writes send no signals
        summaries.rebuild()  # nor do they mark the target and company summaries
        return self.result


def generate(n_assets: int, seed: int = 1, progress: Callable[[str], None] | None = None,
             deals: int | None = None) -> Generated:
    """Write ``n_assets`` generated assets (and companies, milestones, safety events) and ``deals`` deals
    (default: one per ten assets)."""
    return Generator(n_assets, seed, progress, deals).run()
