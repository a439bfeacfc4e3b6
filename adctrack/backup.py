"""What a backup holds, and the digest that proves a restore reproduced it.

Included: all of ``programs`` and ``milestones`` (their simple_history ``Historical*`` models are
models of the same apps, so every record's history comes along), user accounts and groups with
their permissions (by natural key), the admin log, and Celery beat schedules.

Left out on purpose: API tokens (knox; restoring them elsewhere would resurrect credentials —
users create new ones), login-attempt records (axes), sessions, content types and permissions
(``migrate`` creates them; rows refer to them by natural key, so ids may differ).

Timestamps are written to the microsecond (``BACKUP_FORMAT``), so a restore reproduces them exactly.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

WHOLE_APPS = ("programs", "milestones", "admin", "django_celery_beat")
# Django's JSON with times to the microsecond (adctrack/exact_json.py); loaddata reads it as .json.
BACKUP_FORMAT = "exact_json"
# django-celery-beat's change marker: rewritten by its own signals on every schedule save, so it
# is bookkeeping, not data (beat re-reads the schedules when it differs).
EXCLUDED = ("django_celery_beat.PeriodicTasks",)


def dump_labels() -> list[str]:
    """``dumpdata`` labels, in load order (users before the history rows that name them)."""
    user = get_user_model()._meta
    return ["auth.group", f"{user.app_label}.{user.model_name}", *WHOLE_APPS]


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose table a restore replaces, with the auto-created many-to-many tables."""
    found: list[type[models.Model]] = []
    for base in (Group, get_user_model()):
        found.append(base)
        found += [f.remote_field.through for f in base._meta.local_many_to_many]
    for label in WHOLE_APPS:
        found += list(apps.get_app_config(label).get_models(include_auto_created=True))
    return [m for m in dict.fromkeys(found) if m._meta.label not in EXCLUDED]


def empty_backed_up_tables(connection: BaseDatabaseWrapper) -> None:
    """Delete every backed-up row, and rows elsewhere pointing at them (API tokens, login records).

    On PostgreSQL: DELETE, not TRUNCATE, which is refused while the transaction has pending deferred
    foreign-key checks; DELETE leaves them to commit, after ``restore`` has loaded the file.
    """
    backed = backed_up_models()
    dependents = [
        m for m in apps.get_models(include_auto_created=True)
        if m not in backed
        and any(f.many_to_one and f.related_model in backed for f in m._meta.concrete_fields)
    ]
    tables = [m._meta.db_table for m in [*dependents, *backed]]
    if connection.vendor == "postgresql":
        statements = [f"DELETE FROM {connection.ops.quote_name(table)}" for table in tables]
    else:
        statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def has_user_data() -> bool:
    """True once anyone has used this database: an account, or any history row (every edit writes one).

    Rows shipped by migrations (the reference targets) have no history, so a freshly migrated
    database counts as empty. One EXISTS query per history model.
    """
    if get_user_model()._base_manager.exists():
        return True
    return any(m._base_manager.exists() for m in backed_up_models() if m.__name__.startswith("Historical"))


def digest() -> dict[str, tuple[int, str]]:
    """Per model: row count and a SHA-256 of its rows serialized in primary-key order.

    Reads every backed-up table in full: for tests and after-restore checks, not request paths.
    """
    result: dict[str, tuple[int, str]] = {}
    for model in backed_up_models():
        rows = model._base_manager.order_by("pk")
        if model._meta.auto_created:
            # Many-to-many link rows are reloaded through their owner's field: same pairs, new ids.
            pair = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            text = repr(list(rows.order_by(*pair).values_list(*pair)))
        else:
            # The backup's own format: every timestamp to the microsecond, so equal digests mean equal rows.
            text = serializers.serialize(BACKUP_FORMAT, rows, use_natural_foreign_keys=True)
        result[model._meta.label] = (rows.count(), hashlib.sha256(text.encode()).hexdigest())
    return result
