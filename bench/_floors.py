"""Hand-written SQL floors for the directory pages, the deal pages and the dashboard (``bench_pages``).

Each floor returns the same rows its page shows, by the shortest SQL a person would write against
the raw tables (no summary table): what the page's time is compared with. Parameters are named
(``%(id)s``) so one dict serves every statement of a page. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection

#: A page of asset rows as ``programs/_asset_rows.html`` shows them (targets, payload names, latest event).
ASSET_ROWS = """
SELECT a.id, a.code, a.slug, a.inn, a.antibody_format, a.highest_phase, c.name, c.slug,
       m.id, m.kind, m.phase, m.agency, m.date, m.date_precision,
       (SELECT string_agg(t.symbol || ' ' || t.slug, ' x ' ORDER BY x.position) FROM programs_assettarget x
          JOIN programs_target t ON t.id = x.target_id WHERE x.asset_id = a.id),
       (SELECT string_agg(p.name, ';' ORDER BY x.position) FROM programs_assetpayload x
          JOIN programs_payload p ON p.id = x.payload_id WHERE x.asset_id = a.id)
FROM programs_asset a JOIN programs_company c ON c.id = a.originator_id
LEFT JOIN milestones_milestone m ON m.id = a.latest_milestone_id
WHERE {where} ORDER BY a.highest_phase_rank DESC, a.code LIMIT 100
"""

PARTNERED = (
    "a.id IN (SELECT da.asset_id FROM programs_deal_assets da JOIN programs_dealparty p "
    "ON p.deal_id = da.deal_id WHERE p.company_id = %(id)s) AND a.originator_id <> %(id)s"
)

COMPANY = [
    "SELECT * FROM programs_company WHERE id = %(id)s",
    ASSET_ROWS.format(where="a.originator_id = %(id)s"),
    "SELECT count(*) FROM programs_asset WHERE originator_id = %(id)s",
    ASSET_ROWS.format(where=PARTNERED),
    "SELECT p.role, d.id, d.title, d.kind, d.announced_on, d.announced_precision FROM programs_dealparty p "
    "JOIN programs_deal d ON d.id = p.deal_id WHERE p.company_id = %(id)s ORDER BY p.role, d.announced_on DESC",
    "SELECT o.deal_id, o.role, c.name, c.slug FROM programs_dealparty o JOIN programs_company c "
    "ON c.id = o.company_id WHERE o.deal_id IN (SELECT deal_id FROM programs_dealparty WHERE company_id = %(id)s)",
    "SELECT name, kind FROM programs_platform WHERE company_id = %(id)s ORDER BY name",
    "SELECT name FROM programs_companyalias WHERE company_id = %(id)s ORDER BY name",
]

ON_TARGET = "a.id IN (SELECT asset_id FROM programs_assettarget WHERE target_id = %(id)s)"

TARGET = [
    "SELECT t.*, p.symbol, p.slug FROM programs_target t LEFT JOIN programs_target p ON p.id = t.parent_id "
    "WHERE t.id = %(id)s",
    ASSET_ROWS.format(where=ON_TARGET),
    f"SELECT count(*) FROM programs_asset a WHERE {ON_TARGET}",
    f"SELECT highest_phase, count(*) FROM programs_asset a WHERE {ON_TARGET} GROUP BY 1",
    "SELECT l.symbol, l.slug, h.symbol, h.slug, count(*) FROM programs_asset a "
    "JOIN programs_targetpair tp ON tp.id = a.target_pair_id JOIN programs_target l ON l.id = tp.low_id "
    "JOIN programs_target h ON h.id = tp.high_id WHERE tp.low_id = %(id)s OR tp.high_id = %(id)s GROUP BY 1, 2, 3, 4",
    "SELECT name FROM programs_targetalias WHERE target_id = %(id)s ORDER BY name",
    "SELECT symbol, slug FROM programs_target WHERE parent_id = %(id)s ORDER BY symbol",
]

COMPANY_LIST = [
    "SELECT c.id, c.name, c.slug, c.kind, c.country, "
    "(SELECT count(*) FROM programs_asset a WHERE a.originator_id = c.id), "
    "(SELECT count(*) FROM programs_dealparty p WHERE p.company_id = c.id) "
    "FROM programs_company c ORDER BY c.name LIMIT 50",
    "SELECT count(*) FROM programs_company",
]

TARGET_LIST = [
    "SELECT t.id, t.symbol, t.name, t.slug, p.symbol, p.slug, "
    "(SELECT count(*) FROM programs_assettarget x WHERE x.target_id = t.id), "
    "(SELECT string_agg(name, ', ' ORDER BY name) FROM programs_targetalias al WHERE al.target_id = t.id) "
    "FROM programs_target t LEFT JOIN programs_target p ON p.id = t.parent_id ORDER BY t.symbol LIMIT 100",
    "SELECT count(*) FROM programs_target",
]

DEAL_ROWS = """
SELECT d.id, d.title, d.kind, d.status, d.territory, d.announced_on, d.announced_precision,
  (SELECT (coalesce(t.total_value, t.upfront) * t.usd_per_unit) FROM programs_dealterms t
     WHERE t.deal_id = d.id AND t.stands LIMIT 1),
  (SELECT string_agg(c.name || ' ' || p.role, '; ' ORDER BY p.id) FROM programs_dealparty p
     JOIN programs_company c ON c.id = p.company_id WHERE p.deal_id = d.id),
  (SELECT string_agg(a.code || ' ' || a.slug, ', ' ORDER BY a.code) FROM programs_deal_assets x
     JOIN programs_asset a ON a.id = x.asset_id WHERE x.deal_id = d.id)
FROM programs_deal d {where} ORDER BY d.announced_on DESC NULLS LAST, d.title, d.id LIMIT 50
"""


_BAND = """CASE WHEN v IS NULL THEN 'undisclosed' WHEN v < 100 THEN 'lt100' WHEN v < 500 THEN '100-500'
  WHEN v < 1000 THEN '500-1000' WHEN v < 5000 THEN '1000-5000' ELSE 'gte5000' END"""


def deal_facets(where: str = "", kind_where: str = "") -> list[str]:
    """The deal list's facet counts by hand: each over the deals matching the other filters
    (``kind_where`` is ``where`` without the kind filter, for the kind facet itself)."""
    among = f"WHERE x.deal_id IN (SELECT d.id FROM programs_deal d {where})" if where else ""
    return [
        f"SELECT d.kind, count(*) FROM programs_deal d {kind_where} GROUP BY 1",
        f"SELECT d.status, count(*) FROM programs_deal d {where} GROUP BY 1",
        f"SELECT x.role, count(DISTINCT x.deal_id) FROM programs_dealparty x {among} GROUP BY 1",
        "SELECT c.slug, c.name, n FROM (SELECT x.company_id, count(DISTINCT x.deal_id) n FROM programs_dealparty x "
        f"{among} GROUP BY 1 ORDER BY 2 DESC LIMIT 15) p JOIN programs_company c ON c.id = p.company_id",
        f"SELECT extract(year FROM d.announced_on), count(*) FROM programs_deal d {where} GROUP BY 1",
        "SELECT t.symbol, count(DISTINCT x.deal_id) FROM programs_deal_assets x JOIN programs_assettarget at "
        f"ON at.asset_id = x.asset_id JOIN programs_target t ON t.id = at.target_id {among} "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 15",
        f"SELECT {_BAND}, count(*) FROM (SELECT coalesce(t.total_value, t.upfront) * t.usd_per_unit v "
        "FROM programs_deal d LEFT JOIN programs_dealterms t ON t.deal_id = d.id AND t.stands "
        f"{where}) b GROUP BY 1",
    ]


def deal_list(where: str = "", kind_where: str = "") -> list[str]:
    """The deal list's rows, its total and its facet counts (the page shows all three)."""
    return [DEAL_ROWS.format(where=where), f"SELECT count(*) FROM programs_deal d {where}",
            *deal_facets(where, kind_where)]


DEAL = [
    "SELECT d.*, s.url, pl.name, c.name FROM programs_deal d JOIN programs_source s ON s.id = d.source_id "
    "LEFT JOIN programs_platform pl ON pl.id = d.platform_id LEFT JOIN programs_company c ON c.id = pl.company_id "
    "WHERE d.id = %(id)s",
    "SELECT p.role, c.name, c.slug FROM programs_dealparty p JOIN programs_company c ON c.id = p.company_id "
    "WHERE p.deal_id = %(id)s ORDER BY p.role, p.id",
    "SELECT a.code, a.slug, a.highest_phase, l.symbol, h.symbol FROM programs_deal_assets x "
    "JOIN programs_asset a ON a.id = x.asset_id LEFT JOIN programs_targetpair tp ON tp.id = a.target_pair_id "
    "LEFT JOIN programs_target l ON l.id = tp.low_id LEFT JOIN programs_target h ON h.id = tp.high_id "
    "WHERE x.deal_id = %(id)s",
    "SELECT t.*, s.url FROM programs_dealterms t JOIN programs_source s ON s.id = t.source_id "
    "WHERE t.deal_id = %(id)s ORDER BY t.stands DESC, t.id",
]

DASHBOARD = [
    'SELECT "group", key, value, records, meta FROM programs_statistic WHERE "group" <> \'ild_points\' '
    'ORDER BY "group", key',
    "SELECT key, value, records, meta FROM programs_statistic WHERE \"group\" = 'ild_points' "
    "ORDER BY records DESC, key LIMIT 300",
    "SELECT * FROM programs_statisticgroup",
    "SELECT m.*, a.code, a.slug, s.url FROM milestones_milestone m JOIN programs_asset a ON a.id = m.asset_id "
    "JOIN programs_source s ON s.id = m.source_id WHERE m.status = 'occurred' AND m.date IS NOT NULL "
    "ORDER BY m.date DESC, m.id DESC LIMIT 12",
]


def run(statements: list[str], params: dict[str, object] | None = None) -> Callable[[], object]:
    """A floor: run ``statements`` in one cursor, fetching every row."""

    def floor() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params or {})
                cursor.fetchall()

    return floor
