"""When inspections fall due, and what a ledger record may say (registry/inspections/rules.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.inspections import rules
from registry.inspections.models import Inspection, InspectionKind, InspectionResult

D = datetime.date
TODAY = D(2026, 11, 29)


@pytest.mark.parametrize(
    "level, last, due",
    [
        (3, D(2025, 11, 20), D(2026, 11, 20)),  # levels 3-4: every year
        (4, D(2025, 11, 20), D(2026, 11, 20)),
        (5, D(2026, 5, 20), D(2026, 11, 20)),  # level 5: every 6 months
        (5, D(2026, 8, 31), D(2027, 2, 28)),  # a shorter month ends on its last day
        (5, D(2023, 8, 31), D(2024, 2, 29)),
        (1, D(2025, 1, 1), None),  # levels 1-2: no periodic inspection
        (2, None, None),
        (None, None, None),
        (3, None, D.min),  # never inspected: due at once
    ],
)
def test_next_due_follows_the_level(level, last, due):
    assert rules.next_due(level, last) == due


def test_intervals_are_data(settings):
    settings.INSPECTION_INTERVAL_MONTHS = {3: 24, 4: 12, 5: 3}
    assert rules.next_due(3, D(2025, 1, 10)) == D(2027, 1, 10)
    assert rules.next_due(5, D(2025, 1, 10)) == D(2025, 4, 10)


def test_the_whole_organisation_every_two_years():
    assert rules.next_organisation_assessment(D(2024, 12, 1)) == D(2026, 12, 1)
    assert rules.is_overdue(rules.next_organisation_assessment(None), TODAY)


def test_overdue_and_due_soon():
    assert rules.is_overdue(D(2026, 11, 28), TODAY)
    assert not rules.is_overdue(TODAY, TODAY)  # due today is due, not late
    assert rules.is_due_soon(TODAY, TODAY, 30)
    assert rules.is_due_soon(D(2026, 12, 29), TODAY, 30)
    assert not rules.is_due_soon(D(2026, 12, 30), TODAY, 30)
    assert not rules.is_due_soon(None, TODAY, 30)


def _entry(**values):
    fields = {
        "inspected_on": D(2026, 11, 1),
        "kind": InspectionKind.SELF_ASSESSMENT,
        "result": InspectionResult.PASSED,
        "findings": 0,
    }
    return Inspection(**{**fields, **values})


def _errors(entry, **kwargs):
    try:
        rules.validate_entry(entry, today=TODAY, **kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_consistent_record_passes():
    assert _errors(_entry(result=InspectionResult.FINDINGS, findings=3)) == {}


@pytest.mark.parametrize(
    "values, kwargs, field, message",
    [
        ({"inspected_on": D(2026, 11, 30)}, {}, "inspected_on", "This date is in the future."),
        (
            {"inspected_on": D(2022, 1, 1)},
            {"subject_since": D(2023, 1, 15)},
            "inspected_on",
            "The system was not yet on the registry on this date.",
        ),
        (
            {"inspected_on": D(2026, 2, 1)},
            {"subject_until": D(2026, 1, 31)},
            "inspected_on",
            "The system was already retired on this date.",
        ),
        (
            {"result": InspectionResult.FINDINGS},
            {},
            "findings",
            "A result with findings to fix needs the number of findings.",
        ),
        ({"findings": 2}, {}, "findings", "A passed inspection has no findings to fix."),
        ({"kind": InspectionKind.IMPORTED}, {}, "kind", "Choose the kind of inspection."),
        (
            {"result": InspectionResult.NOT_STATED},
            {},
            "result",
            "Choose the result of the inspection.",
        ),
    ],
)
def test_an_inconsistent_record_is_refused_by_field(values, kwargs, field, message):
    assert _errors(_entry(**values), **kwargs) == {field: [message]}


def test_an_import_may_record_a_bare_date():
    entry = _entry(kind=InspectionKind.IMPORTED, result=InspectionResult.NOT_STATED)
    assert _errors(entry, by_import=True) == {}


@pytest.mark.parametrize("name", ["report.exe", "report.html", "report", "report.pdf.svg"])
def test_a_report_file_of_another_type_is_refused(name):
    entry = _entry(report=SimpleUploadedFile(name, b"x"))
    assert list(_errors(entry)) == ["report"]


def test_a_report_file_over_the_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 10
    entry = _entry(report=SimpleUploadedFile("report.pdf", b"%PDF-" + b"x" * 10))
    assert _errors(entry) == {"report": ["A report file may be at most 10\xa0bytes."]}
