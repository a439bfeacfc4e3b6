"""Celery tasks of the programmes app."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from programs.models import ExportLog


@shared_task(acks_late=True)
def build_export(log_id: int) -> int:
    """Build a background XLSX export under MEDIA_ROOT/exports/ and mark its ExportLog done.

    Runs the same filters as the page (the log keeps the query string), so the file holds exactly
    the rows the list held when the user asked. Returns the rows written.
    """
    from programs.io.export.service import build_xlsx_file, export_path

    log = ExportLog.objects.select_related("user").get(pk=log_id)
    path = export_path(log)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    try:
        count = build_xlsx_file(log, str(partial))
        partial.replace(path)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        ExportLog.objects.filter(pk=log_id).update(
            state=ExportLog.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ExportLog.objects.filter(pk=log_id).update(
        state=ExportLog.State.DONE, rows=count, file=str(path.relative_to(path.parent.parent)),
        finished_at=timezone.now(),
    )
    return count
