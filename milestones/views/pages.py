"""Milestone pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from milestones.models import Milestone


@require_safe
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("asset", "source", "indication"), pk=pk)
    return render(request, "milestones/milestone_detail.html", {"milestone": milestone})
