"""The annual report's pages: a unit's report (prepare, submit, receive, return, download)
and the national filing status with its CSV. Thin: objects come through access.py (scope),
writes through actions.py, reads through selectors.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from compliance import exports
from compliance.annual import access, actions, rules, selectors
from compliance.annual.forms import ReturnForm, YearForm
from compliance.annual.generation import FORMATS
from compliance.annual.rules import Action, FilingStatus
from compliance.reports.models import CONTENT_TYPES
from compliance.views import read_only_page
from registry import scope
from registry.audit.actions import record


@read_only_page
def index(request):
    """National administrators: the filing status; others: their reporting units' reports."""
    if scope.is_national_admin(request.user):
        return redirect("annual:status")
    today = timezone.localdate()
    units = scope.membership_units(request.user).filter(parent__isnull=True)
    years = [today.year, today.year - 1]
    return render(request, "annual/index.html", {"units": units, "years": years})


@read_only_page
def report_page(request, year, code):
    unit = access.get_reporting_unit_for_user(request.user, code, year)
    return render(request, "annual/report.html", _report_context(request, unit, year))


def _report_context(request, unit, year, return_form=None):
    today = timezone.localdate()
    report = access.report_of(unit, year)
    due = selectors.filing_due_date(year)
    status = rules.shown_status(report.status if report else None, today, due)
    stored = report.status if report else FilingStatus.NOT_STARTED
    allowed = access.allowed_actions(request.user, unit)
    possible = [a for a in allowed if stored in rules.TRANSITIONS[a][0]]
    return {
        "unit": unit,
        "year": year,
        "report": report,
        "status": status,
        "due": due,
        "as_of": rules.report_as_of(year),
        "period_start": rules.period_start(year),
        "actions": possible,
        "return_form": return_form or ReturnForm(),
        "history": report.history.select_related("history_user")[:50] if report else [],
    }


def _act(request, unit, year, do):
    """Run `do()` on the loaded unit's report, say how it went, and go back to its page."""
    try:
        do()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        status = access.report_of(unit, year).get_status_display()
        messages.success(request, _("Done: the report is now “%(status)s”.") % {"status": status})
    return redirect("annual:report", year=year, code=unit.code)


def _stored_report(unit, year):
    report = access.report_of(unit, year)
    if report is None:
        raise ValidationError(_("The report has not been prepared yet."))
    return report


def _unit_for(request, year, code, action):
    return access.get_reporting_unit_for_user(request.user, code, year, action=action)


def _move_view(action, move):
    """A POST view that loads the unit for `action` (404/403) and runs `move(request, unit,
    year)` on its report."""

    @login_required
    @require_POST
    def view(request, year, code):
        unit = _unit_for(request, year, code, action)
        return _act(request, unit, year, lambda: move(request, unit, year))

    return view


prepare = _move_view(
    Action.PREPARE,
    lambda request, unit, year: actions.prepare(unit, year, actor=request.user, request=request),
)
submit = _move_view(
    Action.SUBMIT,
    lambda request, unit, year: actions.submit(
        _stored_report(unit, year), actor=request.user, request=request
    ),
)
receive = _move_view(
    Action.RECEIVE,
    lambda request, unit, year: actions.receive(
        _stored_report(unit, year), actor=request.user, request=request
    ),
)


@login_required
@require_POST
def return_report(request, year, code):
    unit = _unit_for(request, year, code, Action.RETURN)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = _report_context(request, unit, year, return_form=form)
        return render(request, "annual/report.html", context, status=400)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        unit,
        year,
        lambda: actions.return_report(
            _stored_report(unit, year), reason, actor=request.user, request=request
        ),
    )


@login_required
@require_GET
def download(request, year, code, fmt):
    unit = access.get_reporting_unit_for_user(request.user, code, year)
    report = access.report_of(unit, year)
    if fmt not in FORMATS or report is None or not getattr(report, fmt):
        raise Http404
    record(
        "annual_report.downloaded",
        request=request,
        unit=unit,
        target=report,
        data={"year": year, "format": fmt, "status": report.status},
    )
    return FileResponse(
        getattr(report, fmt).open("rb"),
        as_attachment=True,
        filename=report.download_name(fmt),
        content_type=CONTENT_TYPES[fmt],
    )


def _national_only(request):
    if not scope.is_national_admin(request.user):
        raise Http404


def _status_data(request):
    today = timezone.localdate()
    form = YearForm(request.GET or None, today=today)
    year = form.chosen_year(today)
    rows = selectors.filing_rows(year, today)
    return {
        "form": form,
        "year": year,
        "due": selectors.filing_due_date(year),
        "rows": rows,
        "counts": selectors.status_counts(rows),
    }


@read_only_page
def status_page(request):
    _national_only(request)
    return render(request, "annual/status.html", _status_data(request))


STATUS_COLUMNS = (
    gettext_lazy("Code"),
    gettext_lazy("Unit"),
    gettext_lazy("Status"),
    gettext_lazy("Filed late"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Systems reported"),
    gettext_lazy("PDF SHA-256 checksum"),
)


def _status_line(row):
    report = row.report
    submitted = report.submitted_at if report else None
    return [
        row.unit.code,
        row.unit.name,
        str(row.status.label),
        _("yes") if row.filed_late else "",
        f"{timezone.localtime(submitted):%d/%m/%Y %H:%M}" if submitted else "",
        report.systems if report and report.pdf else "",
        report.pdf_checksum if report else "",
    ]


@read_only_page
def status_export(request):
    """The status page's rows as CSV: the same selector, so the same units and statuses."""
    _national_only(request)
    data = _status_data(request)
    lines = [[str(label) for label in STATUS_COLUMNS]]
    lines += [_status_line(row) for row in data["rows"]]
    record("export.downloaded", request=request, data={"kind": "annual", "year": data["year"]})
    return exports.download(lines, "csv", f"annual-report-status-{data['year']}")
