"""CSV exports stream: a StreamingHttpResponse over a chunked cursor, a bounded number of queries per chunk."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.db import connection
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.io.export import rows as export_rows
from programs.io.export.rows import IdIn
from programs.models import Deal, DealParty
from tests.factories import AssetFactory, AssetTargetFactory, DealFactory, DealPartyFactory, DealTermsFactory


def _deals(n: int) -> None:
    for deal in DealFactory.create_batch(n):
        DealPartyFactory(deal=deal)
        DealTermsFactory(deal=deal)


def test_it_streams_over_an_iterator_not_a_loaded_queryset(db: None, bd_client: Client) -> None:
    _deals(5)
    calls: list[int] = []
    real = QuerySet.iterator

    def spy(self: QuerySet[Any], chunk_size: int | None = None) -> Any:
        calls.append(chunk_size or 0)
        return real(self, chunk_size=chunk_size)

    loaded: list[type] = []
    real_fetch_all = QuerySet._fetch_all

    def fetch_all(self: QuerySet[Any]) -> None:
        loaded.append(self.model)
        real_fetch_all(self)

    with mock.patch.object(QuerySet, "iterator", spy), mock.patch.object(QuerySet, "_fetch_all", fetch_all):
        response = bd_client.get(reverse("programs:deal_export"), {"format": "csv"})
        assert isinstance(response, StreamingHttpResponse)
        assert calls == []  # nothing read before the body is consumed
        content = b"".join(response.streaming_content)
    assert calls == [export_rows.CHUNK]
    assert Deal not in loaded  # the deal queryset was never loaded whole; related rows come per chunk
    assert content.count(b"\n") == 6


def test_it_costs_a_fixed_number_of_queries_per_chunk(db: None, bd_client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(export_rows, "CHUNK", 10)
    _deals(25)

    def count(n_expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = bd_client.get(reverse("programs:deal_export"), {"format": "csv"})
            lines = b"".join(response.streaming_content).count(b"\n")
        assert lines == n_expected_rows + 1
        return len(ctx.captured_queries)

    three_chunks = count(25)
    _deals(10)
    four_chunks = count(35)
    # one more chunk of 10 rows costs parties, assets with their targets, terms that do not stand (the
    # standing terms come with the main query): 3 queries, not 10 x that
    assert four_chunks - three_chunks == 3


def test_it_costs_a_fixed_number_of_queries_per_chunk_of_assets(db: None, bd_client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(export_rows, "CHUNK", 10)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = bd_client.get(reverse("programs:asset_export"), {"format": "csv"})
            b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    for asset in AssetFactory.create_batch(25):
        AssetTargetFactory(asset=asset)
    three_chunks = count()
    for asset in AssetFactory.create_batch(10):
        AssetTargetFactory(asset=asset)
    # designations, targets, payloads, indications, sources: 5 per chunk
    assert count() - three_chunks == 5


def test_it_filters_related_rows_by_an_id_list_of_any_length(db: None) -> None:
    deals = DealFactory.create_batch(3)
    for deal in deals:
        DealPartyFactory(deal=deal)
    parties = DealParty.objects.values_list("deal_id", flat=True)
    assert sorted(parties.filter(IdIn("deal_id", [deals[0].pk, deals[2].pk]))) == [deals[0].pk, deals[2].pk]
    assert list(parties.filter(IdIn("deal_id", []))) == []
