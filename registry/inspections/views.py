"""Downloading an inspection's or an assessment's report file, only in scope."""

import os

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from compliance.views import read_only_page
from registry import scope
from registry.audit.actions import record
from registry.inspections import selectors


def _download(request, entry, unit):
    if not entry.report:
        raise Http404
    try:
        handle = entry.report.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record("inspection.report_downloaded", request=request, unit=unit, target=entry)
    name = os.path.basename(entry.report.name)
    return FileResponse(handle, as_attachment=True, filename=name)


@read_only_page
@require_GET
def inspection_report(request, pk):
    inspection = scope.load(
        selectors.visible_inspections(request.user).select_related("system__owner"), pk
    )
    return _download(request, inspection, inspection.system.owner)


@read_only_page
@require_GET
def assessment_report(request, pk):
    assessment = scope.load(selectors.visible_assessments(request.user).select_related("unit"), pk)
    return _download(request, assessment, assessment.unit)
