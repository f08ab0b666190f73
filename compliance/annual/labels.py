"""The words of the annual report, shared by its PDF and its XLSX so that they say the same."""

from django.utils.translation import gettext as _

from compliance.reports.content import date_text
from compliance.selectors import LEVELS
from registry.models import Deployment


def title(year):
    return _("Security of information systems by level in %(year)s") % {"year": year}


def period_text(report):
    return _("Reporting period: from %(start)s to %(end)s") % {
        "start": date_text(report.period_start),
        "end": date_text(report.as_of),
    }


def system_headers():
    return [
        _("No."),
        _("Code"),
        _("System"),
        _("Owner unit"),
        _("Proposed level"),
        _("Approved level"),
        _("Approval decision (number, date, authority)"),
        _("Protection plan deployment"),
        _("Inspection in the period"),
    ]


def decision_text(line):
    if not line.approved:
        return ""
    parts = [line.decision_number, date_text(line.decision_date), line.decision_authority]
    return ", ".join(part for part in parts if part)


def level_text(level):
    return "" if level is None else str(level)


def deployment_text(value):
    return str(Deployment(value).label)


def system_cells(line):
    """A system's cells after its number, as printed."""
    return [
        line.code,
        line.name,
        line.owner,
        level_text(line.proposed_level),
        level_text(line.approved_level),
        decision_text(line),
        deployment_text(line.deployment),
        date_text(line.inspected_on),
    ]


def summary(report):
    """[(label, count)]: the totals the report's system list adds up to."""
    totals = report.totals
    rows = [(_("Information systems"), totals.total)]
    rows += [(_("of which level %(level)s") % {"level": lv}, totals.levels[lv]) for lv in LEVELS]
    if totals.unleveled:
        rows.append((_("of which no level proposed"), totals.unleveled))
    rows += [
        (_("Approved systems"), totals.approved),
        (_("Protection plan fully deployed"), totals.fully_deployed),
        (_("Protection plan partially deployed"), totals.partially_deployed),
        (_("Protection plan not deployed"), totals.not_deployed),
        (_("Inspected in the period"), totals.inspected),
    ]
    return rows


def security_rules_text(report):
    rules = report.security_rules
    if rules is None:
        return _("No internal security rules recorded as issued by %(date)s.") % {
            "date": date_text(report.as_of)
        }
    return _("Internal security rules No. %(number)s issued on %(date)s.") % {
        "number": rules.number,
        "date": date_text(rules.issued_on),
    }


def method_note(report):
    return _(
        "Systems on the registry on %(date)s, each as it stood on that date: the approved "
        "level and the decision once approved by then; the deployment of the protection plan "
        "(full from the date it became full); the last inspection when it fell in the period."
    ) % {"date": date_text(report.as_of)}
