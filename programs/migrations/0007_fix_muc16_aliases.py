"""MUC16's reference aliases were written ``("CA125")``, a string, so 0002 created the aliases "C", "A",
"1", "2" and "5": remove those and give MUC16 its real alias, CA125."""

from __future__ import annotations

from django.db import migrations

from programs.text import normalize_name


def fix(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("programs", "Target")
    TargetAlias = apps.get_model("programs", "TargetAlias")
    muc16 = Target.objects.filter(symbol="MUC16").first()
    if muc16 is None:
        return
    TargetAlias.objects.filter(target=muc16, name__in=["C", "A", "1", "2", "5"]).delete()
    key = normalize_name("CA125")
    if not TargetAlias.objects.filter(normalized=key).exists() and not Target.objects.filter(normalized=key).exists():
        TargetAlias.objects.create(target=muc16, name="CA125", normalized=key)


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_asset_linker_dar_range_marketed")]

    operations = [migrations.RunPython(fix, migrations.RunPython.noop)]
