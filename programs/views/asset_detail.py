"""Asset page (``/assets/<slug>/``): structure, timeline, status by indication, trials, clinical data, deals,
history.

Query budget: one query per section whatever the number of milestones, events or deals; on
PostgreSQL the asset's targets, payloads, names and pair ride on the asset's own query. The sections
are plain rows (``programs.views.asset_rows``), not model instances, read by statements compiled once
per process (``programs.readpath.prepared``): on a cache miss Django's query building and model instantiation
cost several times what PostgreSQL spent.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.context_processors import PermWrapper
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from milestones.models import Milestone, RegulatoryStatus
from milestones.readpath.trial_queries import asset_trial_rows
from milestones.vocab import ApprovalType, MilestoneStatus, RegulatoryState
from programs.dates import PreciseDate
from programs.derivation.derived import first_ind_events
from programs.editing.history import recent_changes
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Company, TargetPair
from programs.models.targets import pair_key, pair_label
from programs.readpath.pagecache import Page, cached_page, render_page
from programs.readpath.prepared import Prepared, attnames, chunks
from programs.views.asset_rows import (
    MilestoneRow,
    deal_rows,
    efficacy_rows,
    json_list,
    measure_rows,
    milestone_rows,
    related_rows,
    safety_rows,
    source_rows,
    url_pattern,
)
from programs.vocab import DatePrecision, PayloadClass, Phase, choice_labels


@require_safe
def asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/assets/<slug>/: structure, timeline, status by indication, derived facts, clinical data, deals.

    The content is cached per data version, today's date (overdue plans) and permissions
    (``programs.readpath.pagecache``); a miss runs the bounded queries of ``_asset_context``.
    """
    today = timezone.localdate()

    def build() -> Page:
        context = _asset_context(slug, today)
        # Jinja2 (adctrack/jinja2.py says why); it runs no context processors, hence ``perms`` here.
        context["perms"] = PermWrapper(request.user)
        body = render_to_string("programs/asset_detail_body.html", context, request=request, using="jinja2")
        return {"title": context["asset"].code, "body": body}

    page = cached_page(request, "asset", (slug, today.isoformat()), build)
    return render_page(request, page)


def _asset_context(slug: str, today: dt.date) -> dict[str, Any]:
    """Everything the asset page shows: one query per section whatever the number of rows."""
    asset, parts = _asset(slug)
    milestones = milestone_rows(asset.pk, today)
    return {
        "asset": asset,
        "latest": _latest(asset, milestones),
        **parts,
        "milestones": milestones,
        "overdue": [m for m in milestones if m.late],
        "status_rows": _status_by_indication(asset.pk),
        "trials": asset_trial_rows(asset.pk),
        "first_ind": _first_ind(asset, milestones),
        "safety_events": safety_rows(asset.pk),
        "safety_measures": measure_rows(asset.pk),
        "efficacy": efficacy_rows(asset.pk),
        "deals": deal_rows(asset.pk),
        "sources": source_rows(asset.pk),
        "related": related_rows(asset),
        "changes": recent_changes(asset),
    }


@dataclass(slots=True)
class TargetLink:
    symbol: str
    url: str


@dataclass(slots=True)
class PayloadRow:
    name: str
    payload_class: str  # the label
    mechanism: str


@dataclass(slots=True)
class Pair:
    key: str
    label: str


_PAYLOAD_CLASSES = choice_labels(PayloadClass)
_REG_STATES = choice_labels(RegulatoryState)
_APPROVAL_TYPES = choice_labels(ApprovalType)
_PHASES = choice_labels(Phase)


_ASSET_FIELDS = attnames(Asset)
_ORIGINATOR_FIELDS = ("id", "name", "slug", "country")
_LISTS = ("target_list", "payload_list", "name_list", "pair")


def _asset_query(slug: str) -> QuerySet[Asset, tuple[Any, ...]]:
    """The asset's columns, its originator's, and on PostgreSQL its targets, payloads, names and target
    pair as ordered JSON arrays of correlated subqueries (PostgreSQL planned each separate statement
    for longer than it ran it)."""
    qs = Asset.objects.filter(slug=slug)
    lists: tuple[str, ...] = ()
    if connection.vendor == "postgresql":
        qs = qs.annotate(
            target_list=json_list(AssetTarget, "asset", {"symbol": "target__symbol", "slug": "target__slug"},
                                  ("position",)),
            payload_list=json_list(AssetPayload, "asset", {"name": "payload__name", "class": "payload__payload_class",
                                                           "mechanism": "payload__mechanism"}, ("position",)),
            name_list=json_list(AssetDesignation, "asset", {"name": "name"}, ("kind", "name")),
            pair=Subquery(TargetPair.objects.filter(pk=OuterRef("target_pair_id")).values(
                j=JSONObject(low="low__symbol", high="high__symbol"))),
        )
        lists = _LISTS
    return qs.values_list(*_ASSET_FIELDS, *(f"originator__{f}" for f in _ORIGINATOR_FIELDS), *lists)


_ASSET = Prepared(_asset_query, str)


def _asset(slug: str) -> tuple[Asset, dict[str, Any]]:
    """The asset (a model instance: the template prints its choices and derived fields) with its
    originator, targets, payloads, names and target pair: one query on PostgreSQL, five at most elsewhere.

    Platforms are rare and fetched on access (a null foreign key costs nothing).
    """
    found = _ASSET.rows(slug)
    if not found:
        raise Http404("No asset matches the given query.")
    values, originator, lists = chunks(found[0], len(_ASSET_FIELDS), len(_ORIGINATOR_FIELDS))
    asset = Asset.from_db(connection.alias, _ASSET_FIELDS, values)
    Asset.originator.field.set_cached_value(asset, Company.from_db(connection.alias, _ORIGINATOR_FIELDS, originator))
    if lists:
        target_list, payload_list, name_list, pair = (_loaded(x) for x in lists)
        targets = [(t["symbol"], t["slug"]) for t in target_list]
        payloads = [(p["name"], p["class"], p["mechanism"]) for p in payload_list]
        names = [d["name"] for d in name_list]
        symbols = (pair["low"], pair["high"]) if pair else None
    else:
        targets = list(AssetTarget.objects.filter(asset=asset).values_list("target__symbol", "target__slug"))
        payloads = list(AssetPayload.objects.filter(asset=asset).values_list(
            "payload__name", "payload__payload_class", "payload__mechanism"))
        names = list(AssetDesignation.objects.filter(asset=asset).values_list("name", flat=True))
        symbols = TargetPair.objects.filter(pk=asset.target_pair_id).values_list(
            "low__symbol", "high__symbol").first() if asset.target_pair_id else None
    target_url = url_pattern("programs:target_detail", "slug")
    return asset, {
        "targets": [TargetLink(symbol, target_url[0] + slug + target_url[1]) for symbol, slug in targets],
        "payloads": [PayloadRow(name, _PAYLOAD_CLASSES.get(cls, cls), mechanism) for name, cls, mechanism in payloads],
        "designations": names,
        "pair": Pair(pair_key(*symbols), pair_label(*symbols)) if symbols else None,
    }


def _loaded(value: Any) -> Any:
    """A JSON column: decoded by the field, or text when the driver handed it back undecoded; an
    empty list (no rows: the aggregate gives NULL) as []."""
    if isinstance(value, str):
        return json.loads(value)
    return [] if value is None else value


def _latest(asset: Asset, milestones: list[MilestoneRow]) -> MilestoneRow | Milestone | None:
    """The asset's latest event (derived): among the rows read, else (the derived facts lag behind an
    edit that moved it to another asset) read on its own."""
    pk = asset.latest_milestone_id
    if pk is None:
        return None
    return next((m for m in milestones if m.pk == pk), None) or Milestone.objects.filter(pk=pk).first()


@dataclass(slots=True)
class FirstInd:
    agency: str
    when: str


def _first_ind(asset: Asset, milestones: list[MilestoneRow]) -> list[FirstInd]:
    """``asset.first_ind`` (agency -> ISO date of the first IND clearance / CTA approval), each date at
    the precision its milestone was recorded with ("Q3 2025"): the milestone is the one the derivation
    picked (``first_ind_events``), found among the rows already read. A date no milestone matches (the
    derived facts not yet recomputed after an edit) is shown to the day."""
    events = first_ind_events(m for m in milestones if m.status == MilestoneStatus.OCCURRED)
    shown = []
    for agency, iso in sorted((asset.first_ind or {}).items()):
        m = events.get(agency)
        if iso is None:
            when = "date not stated"
        elif m is not None and m.date is not None and m.date.isoformat() == iso:
            when = str(m.when)
        else:
            when = str(PreciseDate(dt.date.fromisoformat(iso), DatePrecision.DAY))
        shown.append(FirstInd(agency, when))
    return shown


def _status_by_indication(asset_id: int) -> list[dict[str, Any]]:
    """The derived ``RegulatoryStatus`` rows, worded: "Approved (full), converted from accelerated or conditional"."""
    rows = []
    for r in (RegulatoryStatus.objects.filter(asset_id=asset_id).order_by("position")
              .values("agency", "state", "approval_type", "converted", "phase", "since", "since_precision",
                      indication_name=F("indication__name"))):
        label = _REG_STATES.get(r["state"], r["state"])
        if r["state"] == RegulatoryState.APPROVED and r["approval_type"]:
            label += f" ({_APPROVAL_TYPES.get(r['approval_type'], '').lower()})"
            if r["converted"]:
                label += ", converted from accelerated or conditional"
        elif r["state"] in (RegulatoryState.IN_DEVELOPMENT, RegulatoryState.DISCONTINUED) and r["phase"]:
            label += f" at {_PHASES.get(r['phase'], r['phase'])}"
        rows.append({"indication": r["indication_name"], "agency": r["agency"], "state_label": label,
                     "since": PreciseDate(r["since"], r["since_precision"])})
    return rows
