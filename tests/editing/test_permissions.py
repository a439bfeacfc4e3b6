"""Every edit URL for every role: viewers and bd get 403, editors may edit, only admins restore."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    AssetFactory,
    CompanyFactory,
    DealFactory,
    EfficacyReadoutFactory,
    MilestoneFactory,
    SafetyEventFactory,
    SourceFactory,
)

EDIT_SUFFIXES = ("_add", "_edit", "_delete", "_restore")
EDIT_PREFIXES = ("quick_", "import_")


def edit_url_names() -> list[str]:
    """Every ``namespace:name`` of an edit view in the programs and milestones namespaces."""
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in {"programs", "milestones"}:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name and (
                    pattern.name.endswith(EDIT_SUFFIXES) or pattern.name.startswith(EDIT_PREFIXES)
                ):
                    names.append(f"{entry.namespace}:{pattern.name}")
    return sorted(set(names))


@pytest.fixture
def records(db: None) -> dict[str, int]:
    asset = AssetFactory()
    return {
        "company": CompanyFactory().pk, "asset": asset.pk, "source": SourceFactory().pk, "deal": DealFactory().pk,
        "milestone": MilestoneFactory(asset=asset).pk, "safetyevent": SafetyEventFactory(asset=asset).pk,
        "efficacyreadout": EfficacyReadoutFactory(asset=asset).pk,
    }


def url_for(name: str, records: dict[str, int]) -> str:
    short = name.split(":")[1]
    model = short.rsplit("_", 1)[0]
    if short == "quick_mark_occurred":
        return reverse(name, args=[records["milestone"]])
    if short.endswith(("_edit", "_delete")):
        return reverse(name, args=[records[model]])
    return reverse(name)


def test_it_finds_the_edit_urls() -> None:
    names = edit_url_names()
    assert "milestones:quick_milestone" in names and "programs:asset_edit" in names
    assert "programs:company_restore" in names and "milestones:safetyevent_delete" in names


@pytest.mark.django_db
@pytest.mark.parametrize("name", edit_url_names())
def test_it_gives_viewers_and_bd_403_on_every_edit_url(name, login, records) -> None:
    url = url_for(name, records)
    for role in ("viewer", "bd"):
        client = login(role)
        assert client.get(url).status_code == 403, (role, url)
        assert client.post(url, {}).status_code == 403, (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", edit_url_names())
def test_it_opens_every_edit_url_to_the_right_roles(name, login, records) -> None:
    url = url_for(name, records)
    editor_may = not name.endswith("_restore")
    assert login("editor").get(url).status_code == (200 if editor_may else 403), url
    assert login("admin").get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", edit_url_names())
def test_it_sends_anonymous_users_to_the_login_page(name, records, settings) -> None:
    settings.ADCTRACK_PUBLIC_READ = False
    response = Client().get(url_for(name, records))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_requires_an_account_to_read_unless_public_read(records, settings) -> None:
    settings.ADCTRACK_PUBLIC_READ = False
    assert Client().get("/assets/").status_code == 302
    assert Client().get("/accounts/login/").status_code == 200
    settings.ADCTRACK_PUBLIC_READ = True
    assert Client().get("/assets/").status_code == 200
    # Public read never means public write.
    assert Client().get(reverse("milestones:quick_milestone")).status_code == 403


@pytest.mark.django_db
def test_it_shows_edit_buttons_only_with_permission(login, records) -> None:
    from programs.models import Asset

    url = Asset.objects.get(pk=records["asset"]).get_absolute_url()
    assert "Record event" not in login("viewer").get(url).content.decode()
    assert "Record event" in login("editor").get(url).content.decode()
