"""Asset fields real programmes need, on every path: CSV import and export, the edit form, the API.

DAR as a value or a range (with nominal vs average), the linker type from its vocabulary and
synonyms, the linker-payload name, Fc engineering, brand names as designations of kind brand, and
the INN searchable as itself. Bad input is refused beside its row and column (CSV) or field.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from programs.derivation.derived import recompute_asset
from programs.io.columns import ASSET_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, AssetDesignation, Company
from programs.search import search_assets
from tests.exports.helpers import body, user_in
from tests.factories import AssetFactory, CompanyFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(ASSET_COLUMNS)


@pytest.fixture
def client_for(users: dict[str, Any]) -> Callable[[str], APIClient]:
    """An API client signed in as the role's user."""

    def make(role: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[role])
        return client

    return make


def _row(**cells: str) -> str:
    values = dict.fromkeys(ASSET_COLUMNS, "")
    values.update({"code": "NEW-1", "originator": "Acme", "targets": "ERBB2"}, **cells)
    return ",".join(f'"{v}"' if "," in v else v for v in values.values())


def _import(*rows: str, header: str = HEADER) -> Any:
    return import_csv("assets", "\n".join([header, *rows]))


@pytest.mark.parametrize(
    ("dar", "kind", "expected"),
    [
        ("4", "", (Decimal("4"), None, "nominal")),
        ("3.5-4", "", (Decimal("3.5"), Decimal("4"), "nominal")),
        ("3.5-4", "average", (Decimal("3.5"), Decimal("4"), "average")),
        ("~4", "", (Decimal("4"), None, "average")),
        ("3.5 to 4", "Reported average", (Decimal("3.5"), Decimal("4"), "average")),
        ("", "", (None, None, "nominal")),
    ],
)
def test_a_dar_is_a_value_or_a_range(dar: str, kind: str, expected: tuple[Any, ...]) -> None:
    report = _import(_row(dar=dar, dar_kind=kind))
    assert report.ok, report.as_text()
    asset = Asset.objects.get(code="NEW-1")
    assert (asset.dar, asset.dar_max, asset.dar_kind) == expected


@pytest.mark.parametrize(
    ("text", "value", "cleavable"),
    [
        ("cleavable peptide", "cleavable_peptide", True),
        ("Val-Cit", "cleavable_peptide", True),
        ("HYDRAZONE", "hydrolysable", True),
        ("acid-labile", "hydrolysable", True),
        ("Disulfide", "disulfide", True),
        ("non-cleavable", "non_cleavable", False),
        ("noncleavable", "non_cleavable", False),
        ("Non cleavable", "non_cleavable", False),
        ("", "unknown", None),
    ],
)
def test_linker_types_accept_labels_and_synonyms(text: str, value: str, cleavable: bool | None) -> None:
    report = _import(_row(linker_type=text, linker_payload="vedotin", fc_engineering="Fc silenced"))
    assert report.ok, report.as_text()
    asset = Asset.objects.get(code="NEW-1")
    assert (asset.linker_type, asset.linker_cleavable) == (value, cleavable)  # the type says whether it cleaves
    assert (asset.linker_payload, asset.fc_engineering) == ("vedotin", "silenced")


@pytest.mark.parametrize(
    ("cells", "column", "needle"),
    [
        ({"dar": "abc"}, "dar", "is not a DAR"),
        ({"dar": "5-3"}, "dar", "ends below its start"),
        ({"dar": "25"}, "dar", "at most 20"),
        ({"dar": "4-25"}, "dar", "at most 20"),
        ({"dar": "100%"}, "dar", "is not a DAR"),
        ({"dar_kind": "median"}, "dar_kind", "is not one of"),
        ({"linker_type": "sticky"}, "linker_type", "is not one of"),
        ({"linker_type": "non-cleavable", "linker_cleavable": "yes"}, "linker_cleavable", "contradicts"),
        ({"fc_engineering": "sparkly"}, "fc_engineering", "is not one of"),
        ({"linker_payload": "x" * 121}, "linker_payload", "At most 120"),
    ],
)
def test_bad_asset_cells_are_refused_with_row_and_column(cells: dict[str, str], column: str, needle: str) -> None:
    report = _import(_row(code="OK-1"), _row(**cells))
    assert [(row, col) for row, col, _ in report.errors] == [(3, column)], report.as_text()
    assert needle in report.errors[0][2]
    assert not Asset.objects.exists() and not Company.objects.filter(name="Acme").exists()  # nothing written


def test_a_user_value_with_a_percent_sign_is_quoted_not_formatted() -> None:
    report = _import(_row(dar="%(x)s%d"))
    assert report.errors and "'%(x)s%d' is not a DAR" in report.errors[0][2]


def test_brand_and_inn_are_designations_of_their_kind() -> None:
    report = _import(_row(code="T-DXd", inn="trastuzumab deruxtecan", brand="Enhertu", aliases="DS-8201"))
    assert report.ok, report.as_text()
    kinds = dict(AssetDesignation.objects.values_list("name", "kind"))
    assert kinds == {"T-DXd": "code", "trastuzumab deruxtecan": "inn", "Enhertu": "brand", "DS-8201": "alias"}
    # An alias that is really the brand becomes the brand.
    AssetDesignation.objects.filter(name="Enhertu").update(kind="alias")
    assert _import(_row(code="T-DXd", inn="trastuzumab deruxtecan", brand="Enhertu")).rows[0].action == "updated"
    assert AssetDesignation.objects.get(name="Enhertu").kind == "brand"


@pytest.mark.parametrize("column", ["brand", "inn"])
def test_a_brand_or_inn_naming_another_asset_is_refused(column: str) -> None:
    AssetFactory(code="OTHER-1")
    report = _import(_row(**{column: "OTHER-1"}))
    assert [(row, col) for row, col, _ in report.errors] == [(2, column)]
    assert not Asset.objects.filter(code="NEW-1").exists()


def test_an_old_file_without_the_new_columns_leaves_them_alone() -> None:
    assert _import(_row(linker_type="val-cit", linker_payload="vedotin", fc_engineering="silenced", dar="~4")).ok
    old_columns = [
        c for c in ASSET_COLUMNS if c not in {"brand", "fc_engineering", "dar_kind", "linker_type", "linker_payload"}
    ]
    values = {"code": "NEW-1", "originator": "Acme", "targets": "ERBB2", "dar": "4"}
    report = _import(",".join(values.get(c, "") for c in old_columns), header=",".join(old_columns))
    assert report.ok, report.as_text()
    asset = Asset.objects.get(code="NEW-1")
    assert (asset.linker_type, asset.linker_payload, asset.fc_engineering, asset.dar_kind) == (
        "cleavable_peptide",
        "vedotin",
        "silenced",
        "average",
    )


@pytest.mark.parametrize("query", ["deruxtecan", "Deruxtecan", "trastuzumab deruxtecan", "enhertu", "DS-8201"])
def test_the_inn_and_brand_are_searchable_without_an_alias(query: str) -> None:
    assert _import(_row(code="T-DXd", inn="trastuzumab deruxtecan", brand="Enhertu", aliases="DS-8201")).ok
    AssetFactory(code="T-DM1", inn="trastuzumab emtansine")
    found = search_assets(Asset.objects.all(), query)
    assert list(found.values_list("code", flat=True)) == ["T-DXd"]


def test_the_asset_list_and_api_find_an_inn_by_one_word(
    client_for: Callable[[str], APIClient], login: Callable[[str], Client]
) -> None:
    assert _import(_row(code="T-DXd", inn="trastuzumab deruxtecan")).ok
    recompute_asset(Asset.objects.get(code="T-DXd").pk)
    AssetFactory(code="T-DM1", inn="trastuzumab emtansine")
    page = login("viewer").get(reverse("programs:asset_list"), {"q": "deruxtecan"}).content.decode()
    assert "T-DXd" in page and "T-DM1" not in page
    api = client_for("viewer").get("/api/v1/assets/", {"q": "deruxtecan"}).json()
    assert [a["code"] for a in api["results"]] == ["T-DXd"]


FULL = {
    "code": "RT-1",
    "inn": "roundtripamab vedotin",
    "brand": "Roundtrip",
    "aliases": "rt one",
    "originator": "Acme",
    "targets": "EGFR;HER3",
    "antibody_format": "trispecific",
    "fc_engineering": "silenced",
    "conjugation_method": "site-specific glycan",
    "conjugation_technology": "GlycoConnect",
    "dar": "3.5-4",
    "dar_kind": "average",
    "linker": "Val-Cit",
    "linker_type": "val-cit",
    "linker_payload": "vedotin",
    "payloads": "MMAE",
    "payload_class": "tubulin",
    "masked": "no",
    "status": "active",
    "indications": "NSCLC",
    "source_url": "https://example.com/rt",
}


def _fields(asset: Asset) -> dict[str, Any]:
    names = sorted(asset.designations.values_list("name", "kind"))
    return {
        **{
            f: getattr(asset, f)
            for f in (
                "inn",
                "antibody_format",
                "fc_engineering",
                "conjugation_method",
                "dar",
                "dar_max",
                "dar_kind",
                "linker_type",
                "linker_cleavable",
                "linker_payload",
                "linker_chemistry",
            )
        },
        "names": names,
    }


def test_export_then_import_gives_the_same_asset(client: Client) -> None:
    assert _import(_row(**FULL)).ok
    before = _fields(Asset.objects.get(code="RT-1"))
    assert before["dar_max"] == Decimal("4") and before["antibody_format"] == "trispecific"
    client.force_login(user_in("bd"))
    text = body(client.get(reverse("programs:asset_export"), {"format": "csv"})).decode("utf-8")
    assert ",3.5-4,average," in text and ",Roundtrip,rt one," in text
    Asset.objects.all().delete()
    report = import_csv("assets", text)
    assert report.ok and report.counts()["created"] == 1, report.as_text()
    assert _fields(Asset.objects.get(code="RT-1")) == before
    assert import_csv("assets", text, dry_run=True).counts()["unchanged"] == 1


# --- the form -------------------------------------------------------------------------------------------


def _form(company: Company, **changes: str) -> dict[str, str]:
    data = {
        "code": "ZZ-1",
        "originator": str(company.pk),
        "status": "active",
        "antibody_format": "trispecific",
        "fc_engineering": "silenced",
        "conjugation_method": "unknown",
        "dar_kind": "nominal",
        "linker_type": "cleavable_peptide",
        "linker_cleavable": "unknown",
        "linker_payload": "tesirine",
        "targets_text": "EGFR",
        "payloads_text": "",
        "designations-TOTAL_FORMS": "1",
        "designations-INITIAL_FORMS": "0",
        "designations-0-name": "Brandix",
        "designations-0-kind": "brand",
        "inn": "zzamab tesirine",
    }
    data.update(changes)
    return data


def test_the_form_takes_a_dar_range_the_linker_and_the_inn(login: Callable[[str], Client]) -> None:
    response = login("editor").post(reverse("programs:asset_add"), _form(CompanyFactory(), dar="~3.5-4"))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    asset = Asset.objects.get(code="ZZ-1")
    assert (asset.dar, asset.dar_max, asset.dar_kind) == (Decimal("3.5"), Decimal("4"), "average")
    assert (asset.linker_type, asset.linker_payload, asset.fc_engineering) == (
        "cleavable_peptide",
        "tesirine",
        "silenced",
    )
    assert dict(asset.designations.values_list("name", "kind")) == {
        "ZZ-1": "code",
        "zzamab tesirine": "inn",
        "Brandix": "brand",
    }
    edit = login("editor").get(reverse("programs:asset_edit", args=[asset.pk])).content.decode()
    assert 'value="3.5-4"' in edit


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dar": "abc"}, "dar"),
        ({"dar": "5-3"}, "dar"),
        ({"dar": "21"}, "dar"),
        ({"linker_type": "sticky"}, "linker_type"),
    ],
)
def test_the_form_puts_bad_input_beside_its_field(
    login: Callable[[str], Client], changes: dict[str, str], field: str
) -> None:
    response = login("editor").post(reverse("programs:asset_add"), _form(CompanyFactory(), **changes))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Asset.objects.filter(code="ZZ-1").exists()


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_reads_and_writes_the_new_fields(client_for: Callable[[str], APIClient]) -> None:
    company = CompanyFactory(name="Acme")
    payload = {
        "code": "API-1",
        "originator": company.name,
        "inn": "apiamab deruxtecan",
        "dar": "3.5",
        "dar_max": "4",
        "dar_kind": "average",
        "linker_type": "cleavable_peptide",
        "linker_payload": "deruxtecan",
        "fc_engineering": "silenced",
        "antibody_format": "trispecific",
        "brand_names": ["Apix"],
        "target_keys": ["ERBB2"],
    }
    response = client_for("editor").post("/api/v1/assets/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["dar"], data["dar_max"], data["linker_payload"], data["fc_engineering"]) == (
        "3.50",
        "4.00",
        "deruxtecan",
        "silenced",
    )
    assert {(d["name"], d["kind"]) for d in data["designations"]} == {
        ("API-1", "code"),
        ("apiamab deruxtecan", "inn"),
        ("Apix", "brand"),
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dar": "abc"}, "dar"),
        ({"dar": "5", "dar_max": "3"}, "dar_max"),
        ({"dar": "25"}, "dar"),
        ({"linker_type": "sticky"}, "linker_type"),
        ({"fc_engineering": "sparkly"}, "fc_engineering"),
    ],
)
def test_the_api_refuses_bad_input_beside_the_field(
    client_for: Callable[[str], APIClient], changes: dict[str, str], field: str
) -> None:
    company = CompanyFactory(name="Acme")
    payload = {"code": "API-2", "originator": company.name, **changes}
    response = client_for("editor").post("/api/v1/assets/", payload, format="json")
    assert response.status_code == 400 and field in str(response.json()), response.json()
    assert not Asset.objects.filter(code="API-2").exists()


def test_the_asset_page_shows_the_dar_range_linker_type_and_linker_payload(db, login) -> None:
    from decimal import Decimal

    from tests.factories import AssetFactory

    asset = AssetFactory(code="RANGE-PAGE", dar=Decimal("3.5"), dar_max=Decimal("4"), linker_type="cleavable_peptide",
                         linker_chemistry="Val-Cit", linker_payload="vedotin")
    html = login("viewer").get(asset.get_absolute_url()).content.decode()
    structure = html.split("Structure")[1].split("</dl>")[0]
    assert "3.5–4" in structure
    assert "Cleavable peptide · Val-Cit · linker-payload vedotin" in structure
