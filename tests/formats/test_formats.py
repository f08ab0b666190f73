"""Dates day first in both languages, a dd/mm/yyyy date input, a CLI table cut at words."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from compliance.cli import fit_words
from compliance.filters import AsOfForm, NationalFilter
from compliance.reports.forms import ReportRequestForm
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role

DAY = datetime.date(2023, 6, 30)
MOMENT = datetime.datetime(2026, 11, 29, 12, 57)


@pytest.mark.parametrize(
    ("language", "long", "short", "moment"),
    [
        ("vi", "30/06/2023", "30/06/2023", "12:57 29/11/2026"),
        ("en", "30 June 2023", "30/06/2023", "29/11/2026 12:57"),
    ],
)
def test_dates_are_written_day_first_in_both_languages(language, long, short, moment):
    with translation.override(language):
        assert date_format(DAY) == long
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == moment


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_as_of_input_shows_day_first_and_is_no_browser_date_picker(language):
    with translation.override(language):
        html = str(AsOfForm(initial={"as_of": DAY})["as_of"])
    assert 'type="text"' in html
    assert 'value="30/06/2023"' in html
    assert 'pattern="' in html
    assert "placeholder=" in html


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["30/06/2023", "2023-06-30"])
def test_the_as_of_input_reads_day_first_and_iso_in_both_languages(language, typed):
    with translation.override(language):
        form = AsOfForm({"as_of": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["as_of"] == DAY


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_as_of_input_refuses_month_first(language):
    with translation.override(language):
        form = AsOfForm({"as_of": "06/30/2023"})
        assert not form.is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_report_form_reads_a_day_first_date(language):
    unit = UnitFactory()
    officer = user_with_role(Role.OFFICER, unit)
    with translation.override(language):
        form = ReportRequestForm(
            {"unit": unit.pk, "as_of": "30/06/2023", "format": "pdf"}, user=officer
        )
        assert form.is_valid(), form.errors
        assert 'type="text"' in str(form["as_of"])
    assert form.cleaned_data["as_of"] == DAY


def test_fit_words_cuts_at_a_word_and_marks_the_cut():
    assert fit_words("Thanh Hóa (hệ thống trực tiếp)", 40) == "Thanh Hóa (hệ thống trực tiếp)"
    assert fit_words("Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", 22) == "Ban Quản lý Lăng Chủ…"
    assert fit_words("Thanh Hóa (hệ thống trực tiếp)", 20) == "Thanh Hóa (hệ thống…"
    assert fit_words("Thanh Hóa, (Sở Tài chính)", 13) == "Thanh Hóa…"


def test_fit_words_cuts_inside_only_a_word_longer_than_the_column():
    assert fit_words("HTTT-QuanLyNganSachNhaNuoc", 10) == "HTTT-Quan…"


@pytest.mark.django_db
def test_the_summary_table_cuts_long_names_at_words_and_keeps_the_no_systems_note():
    long_name = "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh và các đơn vị trực thuộc trung ương"
    UnitFactory(name=long_name)  # no systems
    with_systems = UnitFactory(name=f"{long_name} có hệ thống")
    SystemFactory(owner=with_systems)
    out = io.StringIO()
    call_command("compliance_summary", stdout=out)
    lines = out.getvalue().splitlines()
    labels = [line[:44].rstrip() for line in lines if line.startswith("Ban Quản lý")]
    assert len(labels) == 2
    for label in labels:
        name = label.removesuffix(" (no systems declared)")
        assert name.endswith("…")
        kept = name.removesuffix("…")
        assert long_name.startswith(kept)
        assert long_name[len(kept)] == " "  # the cut falls between words
    assert any(label.endswith("(no systems declared)") for label in labels)


@pytest.mark.parametrize(("language", "label"), [("vi", "Tất cả"), ("en", "All")])
def test_an_empty_filter_choice_reads_all(language, label):
    with translation.override(language):
        html = str(NationalFilter(data={}).form["group"])
    assert f'<option value="" selected>{label}</option>' in html
    assert "---------" not in html
