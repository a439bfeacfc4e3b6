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
from programs.models import Deal
from tests.factories import DealFactory, DealPartyFactory, DealTermsFactory


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
    # one more chunk of 10 rows costs parties, assets, terms (+ asset targets when assets): not 10 x that
    assert 3 <= four_chunks - three_chunks <= 4
