"""Export views of the pages: the deal and asset tables as CSV or XLSX, and background exports.

``deal_export`` / ``asset_export`` take ``?format=csv|xlsx`` plus the list's own query string. Only
holders of ``programs.export_data`` (roles bd, editor, admin) may export; others get 403, anonymous
users go to the login page. A background export's status page and file are its requester's only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from programs.io.export.service import export_path, respond
from programs.models import ExportLog

EXPORT_PERM = "programs.export_data"


@require_safe
@login_required
@permission_required(EXPORT_PERM, raise_exception=True)
def deal_export(request: HttpRequest) -> HttpResponse:
    return respond(request, "deals", request.GET.get("format", "csv"))


@require_safe
@login_required
@permission_required(EXPORT_PERM, raise_exception=True)
def asset_export(request: HttpRequest) -> HttpResponse:
    return respond(request, "assets", request.GET.get("format", "csv"))


def _own_log(request: HttpRequest, pk: int) -> ExportLog:
    log = get_object_or_404(ExportLog, pk=pk)
    if log.user_id != request.user.pk:
        raise Http404("No such export.")  # not 403: do not reveal that someone else's export exists
    return log


@require_safe
@login_required
@permission_required(EXPORT_PERM, raise_exception=True)
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_log(request, pk)
    return render(request, "programs/export_status.html", {"log": log})


@require_safe
@login_required
@permission_required(EXPORT_PERM, raise_exception=True)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_log(request, pk)
    path = export_path(log)
    if log.state != ExportLog.State.DONE or not path.is_file():
        raise Http404("This export is not ready.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=log.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
