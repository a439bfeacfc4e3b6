"""Trial pages: ``/trials/`` (filtered with ``TrialFilterSet``, paginated) and ``/trials/<id>/``.

Reading needs an account like every page (the login middleware); both pages run a fixed number of
queries whatever the number of ids, arms, assets or milestones (``milestones.readpath.trial_queries``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from milestones.filters import TrialFilterSet
from milestones.models import Trial
from milestones.readpath.trial_queries import (
    dated,
    phase_starts,
    phases_label,
    trial_full_queryset,
    trial_list_queryset,
)
from milestones.tables import TrialTable

PER_PAGE = 50


@require_safe
def trial_list(request: HttpRequest) -> HttpResponse:
    filterset = TrialFilterSet(request.GET, queryset=trial_list_queryset())
    qs = filterset.qs if filterset.is_valid() else Trial.objects.none()
    table = TrialTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "milestones/trial_list.html", {"filter": filterset, "table": table})


@require_safe
def trial_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trial = get_object_or_404(trial_full_queryset(), pk=pk)
    dates = [
        ("Start", dated(trial.start, trial.start_type)),
        ("Primary completion", dated(trial.primary_completion, trial.primary_completion_type)),
        ("Completion", dated(trial.completion, trial.completion_type)),
    ]
    return render(
        request,
        "milestones/trial_detail.html",
        {
            "trial": trial,
            "phases": phases_label(trial.phases),
            "dates": dates,
            "milestones": list(phase_starts(trial)),
        },
    )
