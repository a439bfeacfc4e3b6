"""Signal receivers: every edit that can change derived facts or statistics marks them dirty.

Receivers only flip flags and register ``on_commit`` enqueues (``programs.derivation.queue``); the derived
writes themselves use ``QuerySet.update`` and ``bulk_create``, which send no signals, so nothing loops.
Bulk writers of edited data go through ``programs.editing.bulk``, whose ``bulk_saved`` signal lands here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from programs.derivation import queue, summaries
from programs.derivation.stats.groups import MODEL_GROUPS
from programs.editing.bulk import bulk_saved
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    Deal,
    DealParty,
    DealTerms,
    Payload,
    Source,
    Target,
)

_muted: ContextVar[bool] = ContextVar("stats_signals_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Silence these receivers, e.g. while ``restore`` loads a backup that already holds the derived rows.

    ``loaddata`` marks ``post_save`` as raw but sends ``m2m_changed`` like any edit, hence this switch.
    """
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


_ASSET_CHILDREN = (Milestone, SafetyEvent, EfficacyReadout, AssetTarget, AssetPayload, AssetDesignation)
_OTHERS = (Deal, DealTerms, DealParty, Company, Payload, Target, Source)


def _groups(instance: Model) -> tuple[str, ...]:
    return MODEL_GROUPS.get(instance._meta.label_lower, ())


def _asset_ids_of_deal(deal_id: int | None) -> list[int]:
    if deal_id is None:
        return []
    return list(Deal.assets.through.objects.filter(deal_id=deal_id).values_list("asset_id", flat=True))


def _changed(sender: type[Model], instance: Model, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw") or _muted.get():  # loaddata / restore: no side effects
        return
    if isinstance(instance, Asset):
        queue.asset_changed(instance.pk, force=created)
    elif isinstance(instance, _ASSET_CHILDREN):
        queue.asset_changed(instance.asset_id, _groups(instance))  # type: ignore[attr-defined]
    else:
        queue.stats_changed(_groups(instance))
        if isinstance(instance, (Deal, DealParty)):
            # Parties' names are part of the assets' search text.
            deal_id = instance.pk if isinstance(instance, Deal) else instance.deal_id
            for asset_id in _asset_ids_of_deal(deal_id):
                queue.asset_changed(asset_id, ())


for _model in (Asset, *_ASSET_CHILDREN, *_OTHERS):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"stats-save-{_model._meta.label_lower}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"stats-delete-{_model._meta.label_lower}")


@receiver(post_delete, sender=Asset, dispatch_uid="summaries-asset-deleted")
def asset_deleted(sender: type[Model], instance: Asset, **kwargs: Any) -> None:
    """The target and company summaries the asset was counted in lose it (``programs.derivation.summaries``)."""
    if not _muted.get():
        summaries.asset_deleted(instance)


@receiver(bulk_saved, dispatch_uid="stats-bulk-saved")
def bulk_changed(sender: type[Model], instances: list[Model], created: bool, **kwargs: Any) -> None:
    """A bulk write (``programs.editing.bulk``, e.g. the CSV import): the same marks as ``_changed``, batched.

    Each asset is marked once and the statistics groups once, whatever the number of rows.
    """
    if _muted.get() or not instances:
        return
    groups = MODEL_GROUPS.get(sender._meta.label_lower, ())
    if issubclass(sender, _ASSET_CHILDREN):
        queue.assets_changed({i.asset_id for i in instances}, groups)  # type: ignore[attr-defined]
    elif issubclass(sender, (Asset, Deal, DealParty)):
        for instance in instances:  # rare in bulk; per-row semantics (new asset forced, deal's assets)
            _changed(sender, instance, created=created)
    elif issubclass(sender, _OTHERS):
        queue.stats_changed(groups)


@receiver(m2m_changed, sender=Deal.assets.through, dispatch_uid="stats-deal-assets")
def deal_assets_changed(sender: type[Model], instance: Model, action: str, reverse: bool,
                        pk_set: set[int] | None, **kwargs: Any) -> None:
    """A deal gained or lost assets: those assets' search text and the deal groups change."""
    if action not in ("post_add", "post_remove", "pre_clear") or _muted.get():
        return
    queue.stats_changed(MODEL_GROUPS["programs.deal"])
    if reverse:  # asset.deals.add(...)
        queue.asset_changed(instance.pk, ())
        return
    # pre_clear has no pk_set: the deal's assets are still linked, so read them.
    asset_ids = pk_set if action != "pre_clear" else _asset_ids_of_deal(instance.pk)
    for asset_id in asset_ids or ():
        queue.asset_changed(asset_id, ())
