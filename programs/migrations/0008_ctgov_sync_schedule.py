"""The weekly ClinicalTrials.gov sync in django_celery_beat (Mondays 04:30 UTC; editable in the admin)."""

from django.db import migrations

NAME = "adctrack: ClinicalTrials.gov sync of tracked trials"
TASK = "programs.sync_ctgov"


def create_periodic_task(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Idempotent (get_or_create by name): an operator's later change of schedule or enabled flag is kept."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    weekly, _ = crontab_model.objects.get_or_create(
        minute="30",
        hour="4",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    task_model.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": weekly})


def remove_periodic_task(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("programs", "0007_fix_muc16_aliases"),
    ]

    operations = [migrations.RunPython(create_periodic_task, remove_periodic_task)]
