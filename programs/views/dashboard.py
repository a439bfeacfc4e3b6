"""The dashboard (``/``) and the admin-only job-run page.

The dashboard reads the ``Statistic`` table (one query) and the groups' freshness (one query), never
the raw facts, except the latest milestones (one query with ``select_related``): its query count is
the same at 10 or 100,000 assets. Charts are inline SVG built by the template from the bar geometry
computed here; each has a table alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_countries import countries

from milestones.models import Milestone
from milestones.vocab import MilestoneStatus
from programs.derivation.stats.groups import GROUPS
from programs.models import JobRun, Statistic, StatisticGroup
from programs.readpath.pagecache import cached_template
from programs.roles import ADMIN, role_of
from programs.vocab import AntibodyFormat, ConjugationMethod, DealKind, PayloadClass, Phase

BAR_SPACE = 340.0  # SVG units for the longest bar
ROW = 24
ILD_POINTS = 300


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _assets_url(**params: Any) -> str:
    return f"{reverse('programs:asset_list')}?{urlencode(params, doseq=True)}"


def _chart(group: str, title: str, rows: Iterable[tuple[str, float, int, str | None]], states: dict[str, Any],
           unit: str = "", caption: str = "") -> dict[str, Any]:
    """Bar geometry for the template: rows are (label, value, records, url)."""
    rows = list(rows)
    top = max((r[1] for r in rows), default=0) or 1
    bars = [
        {"label": label, "value": value, "records": records, "url": url, "y": i * ROW,
         "width": round(BAR_SPACE * value / top, 1), "text_x": round(185 + BAR_SPACE * value / top + 6, 1)}
        for i, (label, value, records, url) in enumerate(rows)
    ]
    return {"group": group, "id": group.replace("_", "-"), "title": title, "bars": bars, "unit": unit,
            "caption": caption, "height": max(len(bars), 1) * ROW + 4, "state": states.get(group)}


def _rows(stats: dict[str, list[Statistic]], group: str) -> list[Statistic]:
    return stats.get(group, [])


def dashboard_context(groups: list[StatisticGroup] | None = None) -> dict[str, Any]:
    """Everything the dashboard shows, from four queries (three when ``groups`` were read already)."""
    stats: dict[str, list[Statistic]] = defaultdict(list)
    for s in Statistic.objects.filter(group__in=[g for g in GROUPS if g != "ild_points"]).order_by("group", "key"):
        stats[s.group].append(s)
    # One dot per reported figure, capped so a large database does not draw thousands of dots.
    stats["ild_points"] = list(Statistic.objects.filter(group="ild_points").order_by("-records", "key")[:ILD_POINTS])
    states = {g.group: g for g in (StatisticGroup.objects.all() if groups is None else groups)}

    phase_count = {s.key: s for s in _rows(stats, "highest_phase")}
    funnel = _chart("highest_phase", "Assets by highest phase reached", (
        (p.label, phase_count[p.value].value, phase_count[p.value].records, _assets_url(highest_phase=p.value))
        for p in Phase.development() if p.value in phase_count
    ), states)

    pairs = sorted(_rows(stats, "target_pair"), key=lambda s: (-s.value, s.key))[:20]
    pair_chart = _chart("target_pair", "Assets by target pair (top 20)", (
        (s.meta.get("label", s.key), s.value, s.records, _assets_url(pair=s.key)) for s in pairs
    ), states)

    targets = sorted(_rows(stats, "target"), key=lambda s: (-s.value, s.key))[:20]
    target_chart = _chart("target", "Assets by target (top 20)", (
        (s.key, s.value, s.records, _assets_url(target=s.key)) for s in targets
    ), states)

    by_phase: dict[str, dict[str, int]] = defaultdict(dict)
    for s in _rows(stats, "conjugation_by_phase"):
        phase, method = s.key.split("|", 1)
        by_phase[phase][method] = int(s.value)
    site = set(ConjugationMethod.site_specific())
    conj_rows, conj_table = [], []
    for p in Phase.development():
        methods = by_phase.get(p.value)
        if not methods:
            continue
        total = sum(methods.values())
        n_site = sum(v for m, v in methods.items() if m in site)
        share = round(100.0 * n_site / total, 1) if total else 0.0
        conj_rows.append((p.label, share, total, _assets_url(highest_phase=p.value, conjugation_method=sorted(site))))
        conj_table.append({"phase": p.label, "total": total, "site": n_site, "share": share,
                           "methods": sorted(((_label(ConjugationMethod, m), v) for m, v in methods.items()),
                                             key=lambda mv: -mv[1])})
    conj_chart = _chart("conjugation_by_phase", "Site-specific conjugation share by highest phase", conj_rows,
                        states, unit="%")
    share = next(iter(_rows(stats, "site_specific_share")), None)

    method_chart = _chart("conjugation_method", "Assets by conjugation method", (
        (_label(ConjugationMethod, s.key), s.value, s.records, _assets_url(conjugation_method=s.key))
        for s in sorted(_rows(stats, "conjugation_method"), key=lambda s: -s.value)
    ), states)
    payload_chart = _chart("payload_class", "Assets by payload class", (
        (_label(PayloadClass, s.key), s.value, s.records, _assets_url(payload_class=s.key))
        for s in sorted(_rows(stats, "payload_class"), key=lambda s: -s.value)
    ), states)
    format_chart = _chart("antibody_format", "Assets by antibody format", (
        (_label(AntibodyFormat, s.key), s.value, s.records, _assets_url(antibody_format=s.key))
        for s in sorted(_rows(stats, "antibody_format"), key=lambda s: -s.value)
    ), states)
    country_chart = _chart("originator_country", "Assets by originator country", (
        (countries.name(s.key) or s.key, s.value, s.records, _assets_url(originator_country=s.key))
        for s in sorted(_rows(stats, "originator_country"), key=lambda s: -s.value)[:20]
    ), states)

    def year_key(s: Statistic) -> tuple[str, str]:
        left, _, right = s.key.partition("|")
        return (right, left)

    ind_chart = _chart("inds_per_agency_year", "IND clearances per agency and year", (
        (f"{s.key.split('|')[1]} · {s.key.split('|')[0]}", s.value, s.records, None)
        for s in sorted(_rows(stats, "inds_per_agency_year"), key=year_key)
    ), states)
    deal_count_chart = _chart("deals_by_year", "Deals per year (count)", (
        (s.key, s.value, s.records, None) for s in _rows(stats, "deals_by_year")
    ), states)
    deal_value_chart = _chart("deal_value_by_year", "Deal value per year (US$ million, standing figures)", (
        (s.key, s.value, s.records, None) for s in _rows(stats, "deal_value_by_year")
    ), states, unit=" M$")
    deal_kind_chart = _chart("deals_by_kind", "Deals by kind (count)", (
        (_label(DealKind, s.key), s.value, s.records, None)
        for s in sorted(_rows(stats, "deals_by_kind"), key=lambda s: -s.value)
    ), states)

    ild = _ild_plot(_rows(stats, "ild_points"), _rows(stats, "ild_by_payload_class"), states)
    median = next(iter(_rows(stats, "ind_to_dosing")), None)
    latest = (
        Milestone.objects.filter(status=MilestoneStatus.OCCURRED, date__isnull=False)
        .select_related("asset", "source")
        .order_by("-date", "-id")[:12]
    )
    stale = [g for g in states.values() if g.is_stale]
    return {
        "charts_pipeline": [funnel, conj_chart, pair_chart, target_chart],
        "charts_structure": [method_chart, payload_chart, format_chart, country_chart],
        "charts_activity": [ind_chart, deal_count_chart, deal_value_chart, deal_kind_chart],
        "conj_table": conj_table, "share": share, "median": median, "ild": ild, "latest": latest,
        "stale_groups": stale, "states": states,
    }


def _ild_plot(points: list[Statistic], means: list[Statistic], states: dict[str, Any]) -> dict[str, Any]:
    """A dot plot: one row per payload class, one dot per reported figure, each linking to its source."""
    classes = sorted({p.meta.get("payload_class", p.key.split("|")[0]) for p in points})
    top = max([p.value for p in points] + [10.0])
    mean = {m.key: m for m in means}
    rows = []
    for i, cls in enumerate(classes):
        dots = [
            {"x": round(185 + BAR_SPACE * p.value / top, 1), "value": p.value, "asset": p.meta.get("asset", ""),
             "url": p.meta.get("url", ""), "title": p.meta.get("title", "")}
            for p in points if p.meta.get("payload_class") == cls
        ]
        rows.append({"label": _label(PayloadClass, cls), "y": i * 26, "dots": dots, "mean": mean.get(cls)})
    return {"rows": rows, "height": max(len(rows), 1) * 26 + 20, "top": top, "axis_y": max(len(rows), 1) * 26,
            "state": states.get("ild_points"), "id": "ild", "title": "Reported ILD incidence by payload class"}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: pipeline statistics as of their last computation, and the latest milestones."""
    # Statistics runs write no curated data, so they do not move the data version: the groups'
    # freshness (one small query) is part of the key instead.
    # freshness is part of the key instead: read once, for the key and for the page.
    groups = list(StatisticGroup.objects.all())
    parts = tuple(f"{g.group}:{g.computed_at}:{g.last_edit_at}:{g.dirty}:{g.dirty_since}" for g in groups)
    return cached_template(request, "dashboard", parts, "programs/home_body.html",
                           lambda: ("Dashboard", dashboard_context(groups)), head="programs/home_head.html")


@require_safe
def jobrun_list(request: HttpRequest) -> HttpResponse:
    """Admin-only: recent Celery job runs and the freshness of each statistics group."""
    if role_of(request.user) != ADMIN:
        raise PermissionDenied("Job records are for administrators.")
    page = Paginator(JobRun.objects.all(), 100).get_page(request.GET.get("page"))
    groups = StatisticGroup.objects.all()
    return render(request, "programs/jobrun_list.html", {"page": page, "groups": groups})
