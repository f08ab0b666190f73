"""Who may ask for and download which report (scope rules from registry/scope.py).

The national summary lists every unit's figures, so only national
administrators may make or download it; a unit's report is for whoever may see
that unit (its subtree's officers, viewers and managers, and national admins).
"""

from django.http import FileResponse, Http404

from compliance.reports.models import GeneratedReport, ReportStatus
from registry.audit.actions import record
from registry.scope import is_national_admin, visible_units


def visible_reports(user):
    reports = GeneratedReport.objects.all()
    if is_national_admin(user):
        return reports
    return reports.filter(unit__in=visible_units(user))


def get_visible_report_or_404(user, pk):
    report = visible_reports(user).select_related("unit", "created_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def download(request, report):
    """The file of a report loaded in scope, as an attachment, recorded in the audit trail;
    404 until it is generated. The report page and the API (issue 16) both serve it here."""
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    record("report.downloaded", request=request, unit=report.unit, target=report)
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name(),
        content_type=report.content_type,
    )
