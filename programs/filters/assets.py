"""AssetFilterSet: the one set of asset filters behind /assets/, /api/v1/assets/ and asset exports.

Parameter names are a contract (URLs are bookmarked, the API and exports reuse them). Every facet
takes several values: AND across facets, OR within one (``?target=EGFR&target=MUC1`` = either).
Values that do not validate (an unknown target, a phase that does not exist) are dropped from the
query and reported through ``form.errors``; they never raise.

Child-table facets (targets, payload class, IND agency, safety) filter with ``pk IN (subquery)``
rather than joins, so no ``DISTINCT`` is needed and counting stays one row per asset.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from milestones.models import RegulatoryStatus, SafetyEvent
from milestones.vocab import Agency, ApprovalType, Assessment, MilestoneKind, RegulatoryState, SafetyCategory
from programs.models import Asset, AssetPayload, AssetTarget, Company, Target, TargetAlias, TargetPair
from programs.search import search_condition
from programs.text import normalize_name
from programs.vocab import AntibodyFormat, AssetStatus, ConjugationMethod, PayloadClass, Phase

IND_KINDS = (MilestoneKind.IND_CLEARED, MilestoneKind.CTA_APPROVED)
IND_AGENCIES = tuple(value for value, _ in Agency.choices if value)
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not disclosed")]


def _given(value: Any) -> bool:
    """Whether a cleaned filter value restricts anything (an empty queryset from a model filter does not)."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return value not in (None, "", [], ())


class MultiValueField(forms.Field):
    """A free-text field that takes every value of a repeated GET parameter (``?target=A&target=B``)."""

    widget = forms.SelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [v.strip() for v in values if v and v.strip()]


def _target_keys(values: list[str]) -> dict[str, int]:
    """normalised symbol/alias -> target id for the given values (one query for symbols, one for aliases)."""
    keys = {normalize_name(v) for v in values}
    found = dict(Target.objects.filter(normalized__in=keys).values_list("normalized", "pk"))
    missing = keys - found.keys()
    if missing:
        found.update(TargetAlias.objects.filter(normalized__in=missing).values_list("normalized", "target_id"))
    return found


class TargetsField(MultiValueField):
    """Target symbols or aliases ("HER3" is ERBB3) -> target ids; unknown names are a validation error."""

    def clean(self, value: Any) -> list[int]:
        values = self.to_python(value)
        if not values:
            return []
        found = _target_keys(values)
        unknown = [v for v in values if normalize_name(v) not in found]
        if unknown:
            # The names are a parameter, never part of the template: django-filter's API path formats
            # every message with ``%`` (``message % params``), so a "%" typed by a user would be a 500.
            raise ValidationError(
                "Unknown target: %(names)s. Use an HGNC symbol or a known alias.",
                code="unknown_target", params={"names": ", ".join(unknown)},
            )
        return sorted({found[normalize_name(v)] for v in values})


class PairsField(MultiValueField):
    """Target pairs written "EGFR-ERBB3" (either order, aliases allowed) -> TargetPair ids.

    A symbol may itself hold a hyphen, so every split point is tried. A pair nobody has made yet
    is valid and simply matches nothing.
    """

    def clean(self, value: Any) -> list[int]:
        values = self.to_python(value)
        if not values:
            return []
        candidates = {v: [(v[:i], v[i + 1:]) for i, c in enumerate(v) if c in "-~x,"] for v in values}
        names = [n for splits in candidates.values() for ab in splits for n in ab if n]
        found = _target_keys(names)
        wanted: list[tuple[int, int]] = []
        for v, splits in candidates.items():
            match = next(
                ((found[normalize_name(a)], found[normalize_name(b)]) for a, b in splits
                 if normalize_name(a) in found and normalize_name(b) in found),
                None,
            )
            if match is None:
                raise ValidationError(
                    "Unknown target pair %(pair)r: write two targets as EGFR-ERBB3.",
                    code="unknown_pair", params={"pair": v},
                )
            wanted.append((min(match), max(match)))
        q = Q(pk__in=[])
        for low, high in wanted:
            q |= Q(low_id=low, high_id=high)
        return list(TargetPair.objects.filter(q).values_list("pk", flat=True)) or [0]


class TargetsFilter(django_filters.Filter):
    field_class = TargetsField


@extend_schema_field(OpenApiTypes.STR)  # a company slug; the schema cannot guess it through originator__slug
class CompanySlugsFilter(django_filters.ModelMultipleChoiceFilter):
    pass


class PairsFilter(django_filters.Filter):
    field_class = PairsField


class AssetFilterSet(django_filters.FilterSet):
    """Filters and facet definitions for assets; see ``programs.readpath.facets`` for the counts."""

    q = django_filters.CharFilter(method="filter_q", label="Search")
    target = TargetsFilter(method="filter_target", label="Target")
    pair = PairsFilter(method="filter_pair", label="Target pair")
    antibody_format = django_filters.MultipleChoiceFilter(
        choices=AntibodyFormat.choices, label="Format", distinct=False
    )
    conjugation_method = django_filters.MultipleChoiceFilter(
        choices=ConjugationMethod.choices, label="Conjugation", distinct=False
    )
    payload_class = django_filters.MultipleChoiceFilter(
        choices=PayloadClass.choices, method="filter_payload_class", label="Payload class"
    )
    linker_cleavable = django_filters.MultipleChoiceFilter(
        choices=YES_NO_UNKNOWN, method="filter_linker_cleavable", label="Cleavable linker"
    )
    masked = django_filters.MultipleChoiceFilter(choices=YES_NO, method="filter_masked", label="Masked")
    highest_phase = django_filters.MultipleChoiceFilter(choices=Phase.choices, label="Highest phase", distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=AssetStatus.choices, label="Status", distinct=False)
    # field_name names the slug too: django-filter filters by ``getattr(company, to_field_name)``, and
    # ``originator=<slug>`` would compare a slug with the foreign key's integer (a 500).
    originator = CompanySlugsFilter(
        queryset=Company.objects.all(), to_field_name="slug", field_name="originator__slug", label="Originator",
        distinct=False,
    )
    originator_country = django_filters.MultipleChoiceFilter(
        choices=lambda: list(countries), field_name="originator__country", label="Originator country",
        distinct=False,
    )
    ind_agency = django_filters.MultipleChoiceFilter(
        choices=[c for c in Agency.choices if c[0] in IND_AGENCIES], method="filter_ind_agency", label="IND agency"
    )
    safety = django_filters.MultipleChoiceFilter(
        choices=SafetyCategory.choices, method="filter_safety", label="Safety reported"
    )
    approved_by = django_filters.MultipleChoiceFilter(
        choices=[c for c in Agency.choices if c[0]], method="filter_approved_by", label="Approved by"
    )
    marketed = django_filters.ChoiceFilter(choices=YES_NO, method="filter_marketed", label="Marketed")
    approval_type = django_filters.MultipleChoiceFilter(
        choices=[c for c in ApprovalType.choices if c[0]], method="filter_approval_type", label="Approval type"
    )

    class Meta:
        model = Asset
        fields = [
            "q", "target", "pair", "antibody_format", "conjugation_method", "payload_class", "linker_cleavable",
            "masked", "highest_phase", "status", "originator", "originator_country", "ind_agency", "safety",
            "approved_by", "marketed", "approval_type",
        ]

    def filter_queryset_without(self, queryset: QuerySet[Asset], skip: str | None) -> QuerySet[Asset]:
        """The queryset filtered by every valid filter except ``skip`` (for a facet's own counts)."""
        for name, value in self.form.cleaned_data.items():
            if name == skip:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def active(self) -> dict[str, Any]:
        """Filters with a valid, non-empty value (after ``is_valid``)."""
        self.errors  # noqa: B018 - runs validation
        return {k: v for k, v in self.form.cleaned_data.items() if _given(v)}

    def filter_q(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        if not value:
            return qs
        cache = self.__dict__.setdefault("_search_conditions", {})
        if value not in cache:
            cache[value] = search_condition(value)
        return qs.filter(cache[value])

    def filter_target(self, qs: QuerySet[Asset], name: str, value: list[int]) -> QuerySet[Asset]:
        if not value:
            return qs
        return qs.filter(pk__in=AssetTarget.objects.filter(target_id__in=value).values("asset_id"))

    def filter_pair(self, qs: QuerySet[Asset], name: str, value: list[int]) -> QuerySet[Asset]:
        return qs.filter(target_pair_id__in=value) if value else qs

    def filter_payload_class(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        if not value:
            return qs
        return qs.filter(
            pk__in=AssetPayload.objects.filter(payload__payload_class__in=value).values("asset_id")
        )

    def filter_linker_cleavable(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        if not value:
            return qs
        q = Q(pk__in=[])
        if "yes" in value:
            q |= Q(linker_cleavable=True)
        if "no" in value:
            q |= Q(linker_cleavable=False)
        if "unknown" in value:
            q |= Q(linker_cleavable__isnull=True)
        return qs.filter(q)

    def filter_masked(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        if not value or set(value) == {"yes", "no"}:
            return qs
        return qs.filter(masked="yes" in value)

    def filter_ind_agency(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        if not value:
            return qs
        # The derived ``first_ind`` (agency -> date of the first occurred IND clearance / CTA
        # approval) holds exactly the agencies this facet asks about, on the asset row itself.
        condition = Q()
        for agency in value:
            condition |= Q(first_ind__has_key=agency)
        return qs.filter(condition)

    def filter_safety(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        if not value:
            return qs
        events = SafetyEvent.objects.filter(category__in=value, assessment=Assessment.REPORTED)
        return qs.filter(pk__in=events.values("asset_id"))

    def filter_approved_by(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        """Currently approved at one of these agencies, for any indication (the derived status rows)."""
        if not value:
            return qs
        standing = RegulatoryStatus.objects.filter(agency__in=value, state=RegulatoryState.APPROVED)
        return qs.filter(pk__in=standing.values("asset_id"))

    def filter_marketed(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        return qs.filter(marketed=value == "yes") if value else qs

    def filter_approval_type(self, qs: QuerySet[Asset], name: str, value: list[str]) -> QuerySet[Asset]:
        """A standing approval of one of these types (accelerated, conditional, full) somewhere."""
        if not value:
            return qs
        standing = RegulatoryStatus.objects.filter(approval_type__in=value, state=RegulatoryState.APPROVED)
        return qs.filter(pk__in=standing.values("asset_id"))
