"""Trigram search indexes on PostgreSQL; a no-op on SQLite (which uses the fallback in programs.search)."""

from __future__ import annotations

from django.db import migrations

INDEXES = [
    ("asset_search_text_trgm", "programs_asset", "search_text"),
    ("designation_normalized_trgm", "programs_assetdesignation", "normalized"),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name}_plain ON {table} USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}_plain")


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_reference_targets")]

    operations = [migrations.RunPython(forwards, backwards)]
