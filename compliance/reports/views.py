"""Ask for a report, watch it being built, download it: thin views over generation and access."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from compliance.reports.access import download, get_visible_report_or_404, visible_reports
from compliance.reports.forms import ReportRequestForm
from compliance.reports.models import GeneratedReport, ReportStatus
from compliance.reports.tasks import generate_report
from registry.audit.actions import record
from registry.scope import can_read_registry

RECENT_REPORTS = 50


def _enqueue(report):
    # After commit, so that a worker never looks for a row it cannot see yet.
    transaction.on_commit(partial(generate_report.delay, report.pk))


@login_required
def report_list(request):
    if not can_read_registry(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enclosure = form.cleaned_data["enclosure"]
        report = GeneratedReport.objects.create(
            unit=form.cleaned_data["unit"],
            as_of=form.cleaned_data["as_of"],
            format=form.cleaned_data["format"],
            enclosure_number=enclosure.number if enclosure else "",
            enclosure_date=enclosure.date if enclosure else None,
            language=get_language(),
            created_by=request.user,
        )
        _enqueue(report)
        record("report.requested", request=request, unit=report.unit, target=report)
        return redirect("reports:detail", pk=report.pk)
    reports = visible_reports(request.user).select_related("unit", "created_by")
    context = {"form": form, "reports": reports[:RECENT_REPORTS]}
    return render(request, "reports/report_list.html", context)


@login_required
@require_GET
def report_detail(request, pk):
    report = get_visible_report_or_404(request.user, pk)
    return render(request, "reports/report_detail.html", {"report": report})


@login_required
@require_GET
def report_status(request, pk):
    report = get_visible_report_or_404(request.user, pk)
    done = report.status == ReportStatus.DONE
    return JsonResponse(
        {
            "status": report.status,
            "status_label": report.get_status_display(),
            "progress": report.progress,
            "finished": report.is_finished,
            "download_url": reverse("reports:download", args=[report.pk]) if done else None,
        }
    )


@login_required
@require_GET
def report_download(request, pk):
    return download(request, get_visible_report_or_404(request.user, pk))


@login_required
@require_POST
def report_retry(request, pk):
    report = get_visible_report_or_404(request.user, pk)
    if report.status == ReportStatus.FAILED:
        GeneratedReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.PENDING, progress=0, error=""
        )
        _enqueue(report)
    return redirect("reports:detail", pk=report.pk)
