"""The bundled 2025 reorganisation on the baseline: every date shows its own structure."""

import io
import json

from django.core.management import call_command

from compliance.reports.generation import build
from registry.models import Membership
from registry.reorganisation.models import UnitChange
from tests.reports.conftest import pdf_text

from .conftest import BEFORE_MINISTRIES, MINISTRIES_MERGED, PROVINCES_MERGED


def summary_json(*args):
    out = io.StringIO()
    call_command("compliance_summary", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def by_name(data):
    return {row["name"]: row for row in data["units"]}


def figures(row):
    return row["total"], row["approved"], row["fully_deployed"]


def test_before_the_reorganisation_the_published_table_exactly(units):
    data = summary_json("--as-of", BEFORE_MINISTRIES.isoformat())
    assert len(data["units"]) == 91
    assert figures(data["national"]) == (7008, 5323, 3957)
    assert data["national"]["units_below_50_approval"] == 22
    rows = by_name(data)
    assert figures(rows["Hà Giang"]) == (65, 65, 65)
    assert "Bộ Kế hoạch và Đầu tư" in rows and "Bộ Nông nghiệp và Môi trường" not in rows


def test_ministries_merged_provinces_not_yet(units):
    data = summary_json("--as-of", MINISTRIES_MERGED.isoformat())
    assert (data["groups"]["ministry"]["units"], data["groups"]["province"]["units"]) == (22, 63)
    assert figures(data["national"]) == (7008, 5323, 3957)
    rows = by_name(data)
    assert figures(rows["Bộ Nông nghiệp và Môi trường"]) == (148, 40, 36)
    assert "Bộ Thông tin và Truyền thông" not in rows and "Hà Giang" in rows


def test_after_both_56_units_and_the_same_national_figures(units):
    data = summary_json("--as-of", PROVINCES_MERGED.isoformat())
    assert len(data["units"]) == 56
    assert (data["groups"]["ministry"]["units"], data["groups"]["province"]["units"]) == (22, 34)
    assert figures(data["national"]) == (7008, 5323, 3957)
    assert data["national"]["units_below_50_approval"] == 13
    rows = by_name(data)
    assert figures(rows["Tuyên Quang"]) == (107, 102, 102)
    assert figures(rows["Hồ Chí Minh"]) == (600, 528, 478)
    assert figures(rows["Bộ Nông nghiệp và Môi trường"]) == (148, 40, 36)
    assert "Hà Giang" not in rows and "Bình Dương" not in rows
    # Renamed seats keep their code: Yên Bái (15) is the new Lào Cai, Bình Định (52) Gia Lai.
    assert rows["Lào Cai"]["code"] == "P15" and rows["Gia Lai"]["code"] == "P52"
    assert rows["Huế"]["code"] == "P46"


def test_one_unit_asked_for_follows_the_date(units):
    after = summary_json("--as-of", PROVINCES_MERGED.isoformat(), "--unit", "P08")
    before = summary_json("--as-of", MINISTRIES_MERGED.isoformat(), "--unit", "P08")
    assert figures(after["units"][0]) == (107, 102, 102)
    assert figures(before["units"][0]) == (42, 37, 37)


def test_new_units_take_the_next_free_b_codes_and_exist_from_their_date(units):
    assert units["B29"].name == "Bộ Nông nghiệp và Môi trường"
    assert units["B30"].name == "Bộ Dân tộc và Tôn giáo"
    assert str(units["B29"].established_on) == "2025-03-01"
    data = summary_json("--as-of", BEFORE_MINISTRIES.isoformat())
    assert "B29" not in {row["code"] for row in data["units"]}


def test_running_it_again_changes_nothing(units):
    changes, memberships = UnitChange.objects.count(), Membership.objects.count()
    out = io.StringIO()
    call_command("apply_unit_changes", stdout=out)
    assert "Recorded 0 unit changes; 45 already recorded." in out.getvalue()
    assert (UnitChange.objects.count(), Membership.objects.count()) == (changes, memberships)


def test_dry_run_of_a_file_records_nothing(units, tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text(
        "kind,unit,successor,new_name,effective_on,legal_basis\n"
        "merge,P01,P79,,2030-01-01,Nghị quyết thử\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("apply_unit_changes", str(path), "--dry-run", stdout=out)
    assert "would record 1 unit changes" in out.getvalue()
    assert not UnitChange.objects.filter(legal_basis="Nghị quyết thử").exists()


def test_split_functions_are_listed_and_their_systems_stay_with_the_main_successor(units):
    split = UnitChange.objects.get(unit=units["B12"])
    assert split.kind == "split" and split.successor == units["B02"]  # → Bộ Nội vụ
    assert {unit.code for unit in split.other_successors.all()} == {"B15", "B16"}  # GD&ĐT, Y tế
    data = by_name(summary_json("--as-of", PROVINCES_MERGED.isoformat()))
    before = by_name(summary_json("--as-of", BEFORE_MINISTRIES.isoformat()))
    expected = before["Bộ Nội vụ"]["total"] + before["Bộ Lao động - Thương binh và Xã hội"]["total"]
    assert data["Bộ Nội vụ"]["total"] == expected


def test_appendix_ix_pdf_shows_the_units_of_its_date(units):
    after = pdf_text(build(None, PROVINCES_MERGED, "pdf"))
    before = pdf_text(build(None, BEFORE_MINISTRIES, "pdf"))
    assert "Bộ Nông nghiệp và Môi trường" in after and "Hà Giang" not in after
    assert "Tuyên Quang" in after and "Bộ Kế hoạch và Đầu tư" not in after
    assert "Hà Giang" in before and "Bộ Kế hoạch và Đầu tư" in before
    assert "Bộ Nông nghiệp và Môi trường" not in before
    for text in (before, after):
        assert "7008" in text.replace(".", "").replace(",", "")
