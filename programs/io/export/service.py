"""Export orchestration shared by the pages, the API and the Celery task.

``filtered`` rebuilds exactly the list's queryset from its query string (same FilterSet, same sort,
``pk`` as the last tie-breaker); ``respond`` returns a streamed CSV, an XLSX file, or, for an XLSX
over ``ADCTRACK_XLSX_SYNC_MAX_ROWS`` rows, a redirect to the status page of a background export
(which says so when the task queue is unreachable: never an error page). Every export writes an
``ExportLog``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.utils import timezone

from programs import jobs
from programs.filters import AssetFilterSet, DealFilterSet
from programs.io.export.books import COLUMNS, NOT_FILTERS, UnknownColumns, choose_book, choose_csv, requested
from programs.io.export.rows import ExportSpec, asset_rows, asset_spec, deal_rows, deal_spec, deal_terms_rows
from programs.io.export.workbook import Book, write_book
from programs.io.export.writers import csv_stream
from programs.models import Asset, Deal, ExportLog
from programs.tables.assets import sort_assets

FORMATS = ("csv", "xlsx")


def clean_query(query: QueryDict) -> QueryDict:
    """The list's query string without paging and the export format."""
    q = query.copy()
    for key in NOT_FILTERS:
        q.pop(key, None)
    return q


def filtered(table: str, query: QueryDict) -> QuerySet[Any]:
    """The rows the list shows for ``query``, all pages, in the list's order.

    Raises ``ValueError`` with the form errors when a filter value is invalid.
    """
    query = query.copy()
    query.pop(COLUMNS, None)
    if table == "deals":
        fs: Any = DealFilterSet(query, queryset=Deal.objects.all())
    elif table == "assets":
        fs = AssetFilterSet(query, queryset=Asset.objects.all())
    else:
        raise ValueError(f"Unknown table {table!r}")
    if not fs.is_valid():
        raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in fs.errors.items()))
    qs = fs.qs
    if table == "assets":  # the list's ?sort= (the table's), then a total order
        qs = sort_assets(qs, query.get("sort"))
        order = list(qs.query.order_by) or list(Asset._meta.ordering)
        if "pk" not in order:
            qs = qs.order_by(*order, "pk")
    return qs


def spec_and_rows(table: str, qs: QuerySet[Any]) -> tuple[ExportSpec, Iterator[list[Any]]]:
    if table == "deals":
        spec = deal_spec()
        return spec, deal_rows(qs, spec)
    spec = asset_spec()
    return spec, asset_rows(qs, spec)


def about_lines(log: ExportLog) -> list[tuple[str, str]]:
    user = log.user.get_username() if log.user else ""
    query = QueryDict(log.query)
    filters = "; ".join(f"{k} = {', '.join(query.getlist(k))}" for k in query if k != COLUMNS) or "none (all rows)"
    return [
        ("Table", log.table),
        ("Filters and sort", filters),
        ("Query string", log.query or ""),
        ("Exported at", timezone.localtime(log.created_at).strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("Exported by", user),
        ("Amounts", "Millions: in the deal's currency, or in US dollars where the header says M USD (standing "
                    "terms, at the rate stored with them); 'undisclosed' where no source gave the figure."),
        ("Dates", "Excel dates shown at their precision (day, month, quarter, half-year, year): each is the "
                  "first day of its period, so they sort and filter as dates."),
    ]


def chosen_columns(table: str, query: QueryDict) -> list[str]:
    """The ``columns=`` names, checked against the table; raises ``UnknownColumns``."""
    names = requested(query.getlist(COLUMNS))
    choose_book(table, names)  # the same names for both formats: refuse an unknown one for either
    return names


def _finish(log: ExportLog, rows: int) -> None:
    log.rows = rows
    log.state = ExportLog.State.DONE
    log.finished_at = timezone.now()
    log.save(update_fields=["rows", "state", "finished_at"])


def respond(request: HttpRequest, table: str, fmt: str, via: str = "page",
            status_url: Callable[[ExportLog], str] | None = None) -> HttpResponse:
    """The export response for the request's query string (the caller has checked the permission)."""
    if fmt not in FORMATS:
        return _bad_request(f"Unknown format {fmt!r}: use format=csv or format=xlsx.")
    query = clean_query(request.GET)
    try:
        chosen_columns(table, query)
    except UnknownColumns as exc:
        return _bad_request(str(exc))
    try:
        qs = filtered(table, query)
    except ValueError as exc:
        return _bad_request(f"Invalid filter: {exc}")
    log = ExportLog.objects.create(
        user=request.user, table=table, format=fmt, query=query.urlencode(), via=via,
        state=ExportLog.State.PENDING,
    )
    if fmt == "csv":
        return _csv_response(log, qs)
    limit = int(getattr(settings, "ADCTRACK_XLSX_SYNC_MAX_ROWS", 20000))
    if qs.count() > limit:
        transaction.on_commit(partial(_queue_build, log.pk))
        return HttpResponseRedirect(status_url(log) if status_url else log.get_absolute_url())
    return _xlsx_response(log, qs)


def _bad_request(message: str) -> HttpResponseBadRequest:
    # Plain text: the message repeats what the caller sent, which must never be read as HTML.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


QUEUE_DOWN = ("The background export could not be queued: the task queue (Redis) is unreachable right now. "
              "Ask again in a few minutes, or narrow the filters to download the file at once.")


def _queue_build(log_id: int) -> None:
    """Queue the background XLSX build; when the broker is away, the status page says so (no error page)."""
    if not jobs.send("build_export", log_id):
        ExportLog.objects.filter(pk=log_id, state=ExportLog.State.PENDING).update(
            state=ExportLog.State.FAILED, error=QUEUE_DOWN, finished_at=timezone.now())


def _csv_response(log: ExportLog, qs: QuerySet[Any]) -> StreamingHttpResponse:
    full, rows = spec_and_rows(log.table, qs)
    spec = choose_csv(full, log.table, requested(QueryDict(log.query).getlist(COLUMNS)))
    if spec is not full:  # only the named columns: pick their cells from each full row
        pick = [full.headers.index(h) for h in spec.headers]
        rows = ([row[i] for i in pick] for row in rows)
    counter = [0]

    def stream() -> Iterator[str]:
        yield from csv_stream(spec, rows, counter)
        _finish(log, counter[0])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{log.filename}"'
    return response


def build_xlsx_file(log: ExportLog, target: str | Any) -> int:
    """Write ``log``'s XLSX to ``target`` (a path or binary file); returns the rows written."""
    query = QueryDict(log.query)
    qs = filtered(log.table, query)
    spec, rows = spec_and_rows(log.table, qs)
    columns = choose_book(log.table, requested(query.getlist(COLUMNS)))
    terms = partial(deal_terms_rows, qs, spec.sources) if log.table == "deals" else None
    return write_book(target, Book(spec, columns, about_lines(log), terms), rows)


def _xlsx_response(log: ExportLog, qs: QuerySet[Any]) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # on disk: memory stays flat; deleted when the response closes it
    count = build_xlsx_file(log, tmp)
    _finish(log, count)
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=log.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_path(log: ExportLog) -> Path:
    """Where a background export's file lives: MEDIA_ROOT/exports/<id>-<table>.xlsx."""
    return Path(settings.MEDIA_ROOT) / "exports" / f"{log.pk}-{log.table}.{log.format}"
