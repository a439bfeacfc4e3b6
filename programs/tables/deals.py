"""DealTable: the deal list's columns. Sorting goes through ``DealFilterSet``'s ``ordering`` parameter.

The table is built with ``order_by_field="ordering"`` and column names equal to the FilterSet's
ordering names (announced, title, kind, status, territory, value), so the URL holds one sort that the
page, the API and the exports all follow. Render needs the queryset prefetched as in
``programs.views.deals.deal_list_queryset`` (parties, assets, standing terms), or each row queries.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from programs.models import Deal
from programs.models.deals import roles_by_party


class DealTable(tables.Table):
    announced = tables.Column(accessor="announced_on", order_by=("announced_on",), verbose_name="Announced")
    title = tables.Column(linkify=True, verbose_name="Deal")
    kind = tables.Column(verbose_name="Kind")
    parties = tables.Column(empty_values=(), orderable=False, verbose_name="Parties")
    assets = tables.Column(empty_values=(), orderable=False, verbose_name="Assets")
    territory = tables.Column(verbose_name="Territory")
    # No standing figure is "undisclosed" (as in the exports), never a dash that reads like 0.
    value = tables.Column(accessor="value_usd", order_by=("value_usd",), verbose_name="Value (M USD)",
                          default="undisclosed")
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Deal
        fields = ("announced", "title", "kind", "parties", "assets", "territory", "value", "status")
        sequence = fields
        order_by_field = "ordering"
        attrs = {"class": "data"}
        empty_text = "No deals match these filters."

    def _sorted_by_filterset(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        """Keep the FilterSet's order: it sorted by the same ``ordering`` with its tie-breakers (title,
        pk); re-sorting by the column alone would order ties (equal or missing values) differently
        from the API and the exports."""
        return queryset, True

    order_announced = order_title = order_kind = order_territory = order_value = order_status = _sorted_by_filterset

    def render_announced(self, record: Deal) -> str:
        return record.announced.display()

    def render_parties(self, record: Deal) -> Any:
        # A company once, with all its roles: "Bristol Myers Squibb (Licensee, Co-developer)".
        roles = roles_by_party(record.deal_parties.all())
        return format_html_join(
            "; ", "{} <span class=\"muted\">({})</span>", ((c.name, ", ".join(r)) for c, r in roles.items()),
        )

    def render_assets(self, record: Deal) -> Any:
        links = ((a.get_absolute_url(), a.code) for a in record.assets.all())
        return format_html_join(", ", '<a href="{}">{}</a>', links)

    def render_value(self, value: Any, record: Deal) -> Any:
        return format_html("{}", f"{value:,.1f}")
