"""Compatibility shims between hypothesis 6.170 and the schemathesis 3 / hypothesis-jsonschema 0.23 pair.

- hypothesis-jsonschema calls ``cu.many(...).more()``, an API that hypothesis replaced by an iterator.
  Without the shim, generating any JSON object fails with ``AttributeError: 'many' object has no
  attribute 'more'``. ``install()`` gives hypothesis-jsonschema (only) the old interface.
- schemathesis' state machines file each step's result under the links it can follow by overriding
  ``_add_result_to_targets``; hypothesis now calls ``_add_results_to_targets`` (plural) instead, so
  every result landed in the "catch_all" bundle, no link was ever followed, and the run stopped dead.
  ``LinkedResults`` restores the filing.

Remove them once the lock file pins a matching set.
"""

from __future__ import annotations

import types
from typing import Any

import hypothesis_jsonschema._from_schema as from_schema
from hypothesis.internal.conjecture import utils as cu


class LegacyMany:
    """The pre-6.150 ``many`` protocol (``more()`` / ``reject()``) on top of ``draw_boolean``."""

    def __init__(self, data: Any, min_size: int, max_size: float, average_size: float, **_: Any) -> None:
        self.data, self.min_size, self.max_size = data, min_size, max_size
        self.p_continue = cu._calc_p_continue(average_size - min_size, max_size - min_size)
        self.count = self.rejections = 0
        self.force_stop = False

    def more(self) -> bool:
        if self.min_size == self.max_size:
            go = self.count < self.min_size
        else:
            forced = None
            if self.force_stop or self.count >= self.max_size:
                forced = False
            elif self.count < self.min_size:
                forced = True
            p = min(max(self.p_continue, 1e-6), 1 - 1e-6)
            go = self.data.draw_boolean(p, forced=forced)
        if go:
            self.count += 1
        return go

    def reject(self, why: str | None = None) -> None:
        self.count -= 1
        self.rejections += 1
        if self.rejections > max(3, 2 * self.count):
            if self.count < self.min_size:
                self.data.mark_invalid(why)
            else:
                self.force_stop = True


def install() -> None:
    if hasattr(cu.many, "more"):
        return
    from_schema.cu = types.SimpleNamespace(**{**vars(cu), "many": LegacyMany})  # type: ignore[attr-defined]


class LinkedResults:
    """Mix into a schemathesis state machine (before it): results go to the bundles of their links."""

    def _add_results_to_targets(self, targets: tuple[str, ...], results: list[Any]) -> None:
        for result in results:
            target = self._get_target_for_result(result)  # type: ignore[attr-defined]
            if target is not None:
                super()._add_results_to_targets((target,), [result])  # type: ignore[misc]
