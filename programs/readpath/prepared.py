"""Querysets compiled to SQL once per process, then run with new parameter values.

Why: on a page-cache miss the asset page spent several times longer in Django turning its
querysets into SQL (resolving joins and expressions, ~1-5 ms each on the production-sized host)
than PostgreSQL spent planning and running them. The SQL of a ``values_list`` queryset whose shape
does not depend on its parameters (``asset_id = %s``) is the same every time: ``Prepared`` builds the
queryset once per database vendor with marker values, compiles it, remembers where the markers landed
among the parameters, and then only executes. The ORM still writes the SQL (joins, quoting, vendor
differences) and Django's converters still turn each column into its Python value, so rows are what
``values_list`` would have returned.

Only for querysets whose SQL is fixed: a parameter that changes the statement's shape (a list for
``__in``, ``None`` for ``IS NULL``, a slice bound) must stay a plain queryset.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet


def _marker(kind: type, number: int) -> Any:
    """A value handed to a builder in place of parameter ``number``: unlike anything a real query passes."""
    return f"\x00prepared-{number}\x00" if kind is str else -7_305_001 - number


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (parameter index, marker number)
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]  # (column, converters, expression)
    order: tuple[int, ...] | None  # requested column -> selected column, when they differ


class Prepared:
    """``build(*markers)`` returns a ``values_list`` queryset; ``rows(*values)`` runs it with ``values``.

    ``kinds`` are the types of ``build``'s arguments (``int`` or ``str``), one per parameter.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *kinds: type) -> None:
        self._build = build
        self._kinds = kinds or (int,)
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        compiled = self._compiled.get(connection.vendor) or self._compile()
        params = list(compiled.params)
        for index, marker in compiled.slots:
            params[index] = values[marker]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched: Iterable[Any] = cursor.fetchall()
        if compiled.converters:
            fetched = self._convert(fetched, compiled)
        if compiled.order is not None:
            order = compiled.order
            return [tuple(row[i] for i in order) for row in fetched]
        return [tuple(row) for row in fetched]

    @staticmethod
    def _convert(rows: Iterable[Any], compiled: _Compiled) -> list[list[Any]]:
        out = []
        for row in map(list, rows):
            for pos, converters, expression in compiled.converters:
                value = row[pos]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[pos] = value
            out.append(row)
        return out

    def _compile(self) -> _Compiled:
        markers = [_marker(kind, i) for i, kind in enumerate(self._kinds)]
        qs = self._build(*markers)
        fields = tuple(qs._fields)  # type: ignore[attr-defined]
        compiler = qs.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = tuple((i, markers.index(p)) for i, p in enumerate(params)
                      if isinstance(p, int | str) and not isinstance(p, bool) and p in markers)
        if len({m for _, m in slots}) != len(markers):
            raise ValueError("a marker did not reach the SQL as a parameter")
        selected = [col for col, _, _ in compiler.select[: compiler.col_count]]
        converters = tuple((pos, tuple(convs), expr) for pos, (convs, expr)
                           in compiler.get_converters(selected).items())
        # ``values_list`` selects extra, then model, then annotation columns: put them back in the
        # order asked for (as Django's ValuesListIterable does).
        query = qs.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        order = None if not fields or list(fields) == names else tuple(names.index(f) for f in fields)
        compiled = _Compiled(sql, tuple(params), slots, converters, order)
        self._compiled[connection.vendor] = compiled
        return compiled


def attnames(model: type[Model]) -> tuple[str, ...]:
    """The model's concrete columns as ``values_list`` names them, in ``Model.from_db`` order."""
    return tuple(f.attname for f in model._meta.concrete_fields)


def chunks(row: tuple[Any, ...], *sizes: int) -> Iterable[tuple[Any, ...]]:
    """``row`` cut into consecutive pieces of ``sizes`` (the rest last)."""
    it = iter(row)
    for size in sizes:
        yield tuple(itertools.islice(it, size))
    yield tuple(it)
