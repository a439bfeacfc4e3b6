"""Ship the reference targets (programs/reference_targets.py) with the application."""

from __future__ import annotations

from django.db import migrations

from programs.text import normalize_name, slugify_code


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from programs.reference_targets import REFERENCE_TARGETS

    Target = apps.get_model("programs", "Target")
    TargetAlias = apps.get_model("programs", "TargetAlias")
    by_symbol = {}
    taken = set(Target.objects.values_list("normalized", flat=True))
    taken |= set(TargetAlias.objects.values_list("normalized", flat=True))
    for ref in REFERENCE_TARGETS:
        target, created = Target.objects.get_or_create(
            symbol=ref.symbol,
            defaults={"name": ref.name, "slug": slugify_code(ref.symbol), "normalized": normalize_name(ref.symbol)},
        )
        by_symbol[ref.symbol] = target
        taken.add(target.normalized)
        for alias in ref.aliases:
            key = normalize_name(alias)
            # Spellings that fold to the same key (HER2 / HER-2) are one alias for search.
            if key and key not in taken:
                TargetAlias.objects.create(target=target, name=alias, normalized=key)
                taken.add(key)
    for ref in REFERENCE_TARGETS:
        if ref.parent:
            Target.objects.filter(pk=by_symbol[ref.symbol].pk).update(parent=by_symbol[ref.parent])


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
