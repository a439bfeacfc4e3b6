"""The asset list: demo rows, facets (AND across, OR within), sorting, bad input, query bounds."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("programs:asset_list")


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    """Asset codes linked from the table body."""
    body = response.content.decode()
    table = body[body.index("<tbody"):body.index("</tbody>")]
    return set(re.findall(r'href="/assets/[^"]+/">([^<]+)</a>', table))


def facets(response) -> dict[str, dict[str, tuple[int, str]]]:  # type: ignore[no-untyped-def]
    """Facet label -> option label -> (count, link), read from the sidebar's HTML."""
    html = response.content.decode()
    out: dict[str, dict[str, tuple[int, str]]] = {}
    for label, items in re.findall(r"<summary>([^<]+)</summary>\s*<ul>(.*?)</ul>", html, re.S):
        out[label] = {
            name.strip(): (int(count), unescape(link))
            for link, name, count in re.findall(
                r'<a href="([^"]+)" rel="nofollow"><span[^>]*>.</span>([^<]+)</a> <span class="count">(\d+)</span>',
                items)
        }
    return out


def test_it_lists_the_demo_assets_with_their_columns(viewer_client: Client, demo_data: None) -> None:
    response = viewer_client.get(URL)
    assert response.status_code == 200
    found = codes(response)
    assert {"NEOK002", "BL-B01D1", "JS212", "T-DXd"} <= found
    html = response.content.decode()
    for header in ("Code", "INN", "Targets", "Originator", "Format", "Conjugation", "Payload class",
                   "Highest phase", "Latest event"):
        assert f">{header}<" in html


def test_it_filters_by_originator_as_the_facet_links_it(viewer_client: Client, demo_data: None) -> None:
    from programs.models import Asset

    neok = Asset.objects.select_related("originator").get(code="NEOK002")
    response = viewer_client.get(URL, {"originator": neok.originator.slug})
    assert response.status_code == 200
    expected = set(Asset.objects.filter(originator=neok.originator).values_list("code", flat=True))
    assert codes(response) == expected and "NEOK002" in expected
    api = viewer_client.get("/api/v1/assets/", {"originator": neok.originator.slug})
    assert api.status_code == 200 and {a["code"] for a in api.json()["results"]} == expected


def test_it_filters_by_target_pair_in_either_order(viewer_client: Client, demo_data: None) -> None:
    one = codes(viewer_client.get(URL, {"pair": "EGFR-ERBB3"}))
    other = codes(viewer_client.get(URL, {"pair": "ERBB3-EGFR"}))
    alias = codes(viewer_client.get(URL, {"pair": "HER3-EGFR"}))
    assert one == other == alias
    assert {"BL-B01D1", "JS212"} <= one
    assert "NEOK002" not in one


def test_it_ors_values_within_a_facet(viewer_client: Client, demo_data: None) -> None:
    egfr_muc1 = codes(viewer_client.get(URL, {"pair": "EGFR-MUC1"}))
    egfr_erbb3 = codes(viewer_client.get(URL, {"pair": "EGFR-ERBB3"}))
    both = codes(viewer_client.get(URL, {"pair": ["EGFR-MUC1", "EGFR-ERBB3"]}))
    assert both == egfr_muc1 | egfr_erbb3
    assert "NEOK002" in both


def test_it_ands_across_facets(viewer_client: Client, demo_data: None) -> None:
    egfr = codes(viewer_client.get(URL, {"target": "EGFR"}))
    fda = codes(viewer_client.get(URL, {"ind_agency": "FDA"}))
    both = codes(viewer_client.get(URL, {"target": "EGFR", "ind_agency": "FDA"}))
    assert both == egfr & fda
    assert "NEOK002" in both
    assert "JS212" not in both  # EGFR, but its IND is NMPA's


def test_it_counts_facet_values_excluding_the_facets_own_filter(viewer_client: Client, demo_data: None) -> None:
    found = facets(viewer_client.get(URL, {"target": "MUC1"}))
    assert found["Target"]["EGFR"][0] >= 3  # other targets still counted while MUC1 is ticked
    # other facets are narrowed by the MUC1 filter
    assert {name: count for name, (count, _) in found["Target pair"].items()} == {"EGFR × MUC1": 1}


def test_it_sorts_by_every_column(viewer_client: Client, demo_data: None) -> None:
    for column in ("code", "inn", "targets", "originator", "antibody_format", "conjugation_method",
                   "payload_class", "highest_phase", "latest_event", "latest_event_date"):
        for key in (column, f"-{column}"):
            response = viewer_client.get(URL, {"sort": key})
            assert response.status_code == 200, key
            assert len(codes(response)) >= 8


def test_it_sorts_highest_phase_by_rank(viewer_client: Client, demo_data: None) -> None:
    html = viewer_client.get(URL, {"sort": "-highest_phase"}).content.decode()
    assert html.index("T-DM1") < html.index("NEOK002")


@pytest.mark.parametrize(
    "params",
    [
        {"target": "NOSUCHTARGET"},
        {"pair": "EGFR"},
        {"pair": "EGFR-NOPE"},
        {"highest_phase": "phase9"},
        {"originator": "no-such-company"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "999999"},
        {"sort": "'; drop table programs_asset; --"},
        {"sort": "__class__"},
        {"masked": "maybe", "linker_cleavable": "x", "ind_agency": "XYZ", "safety": "nope"},
        {"q": "%_\\'\""},
    ],
)
def test_it_answers_bad_input_without_a_server_error(viewer_client: Client, demo_data: None, params: dict) -> None:
    response = viewer_client.get(URL, params)
    assert response.status_code == 200


def test_it_says_which_filter_value_was_wrong(viewer_client: Client, demo_data: None) -> None:
    html = viewer_client.get(URL, {"target": "NOSUCHTARGET"}).content.decode()
    assert "Unknown target: NOSUCHTARGET" in html


def test_it_keeps_the_state_in_the_url(viewer_client: Client, demo_data: None) -> None:
    _, muc1 = facets(viewer_client.get(URL, {"target": "EGFR", "sort": "-code"}))["Target"]["MUC1"]
    assert "target=EGFR" in muc1 and "target=MUC1" in muc1 and "sort=-code" in muc1


def test_it_runs_a_bounded_number_of_queries(
    viewer_client: Client, generated: int, django_assert_max_num_queries  # type: ignore[no-untyped-def]
) -> None:
    for params in ({}, {"pair": "EGFR-ERBB3"}, {"target": ["ERBB2", "EGFR"], "highest_phase": "phase1"},
                   {"q": "EGFR"}, {"sort": "-targets"}):
        with django_assert_max_num_queries(24):
            assert viewer_client.get(URL, params).status_code == 200
