"""The pages across the 2025 reorganisation, as a national administrator and as a province's
people would read them."""

from registry import scope
from registry.models import Role

from .conftest import BEFORE_MINISTRIES


def test_national_page_today_lists_todays_56_units_and_2024_the_91(units, client, role_user):
    client.force_login(role_user(Role.NATIONAL_ADMIN))
    today = client.get("/national/")
    names = [row.unit.name for row in today.context["summary"].units]
    assert len(names) == 56
    assert "Tuyên Quang" in names and "Hà Giang" not in names and "Bắc Kạn" not in names
    assert "Bộ Thông tin và Truyền thông" not in names and "Bộ Kế hoạch và Đầu tư" not in names
    then = client.get(f"/national/?as_of={BEFORE_MINISTRIES:%d/%m/%Y}")
    assert len(then.context["summary"].units) == 91
    assert "Hà Giang" in then.text


def test_a_merged_province_says_into_which_unit_and_when(units, client, role_user):
    client.force_login(role_user(Role.NATIONAL_ADMIN))
    page = client.get("/units/P02/")
    assert page.status_code == 200
    assert "Đã sáp nhập vào" in page.text and "ngày 01/07/2025" in page.text
    assert 'href="/units/P08/' in page.text
    before = client.get(f"/units/P02/?as_of={BEFORE_MINISTRIES:%d/%m/%Y}")
    assert before.context["figures"].total == 65
    assert client.get("/units/P02/export/outstanding/csv/").status_code == 404


def test_the_successor_province_counts_and_lists_what_merged_into_it(units, client, role_user):
    officer = role_user(Role.OFFICER, units["P08"])
    assert scope.visible_systems(officer).count() == 107
    assert scope.editable_systems(officer).filter(owner__code__startswith="P02").count() == 65
    assert not scope.visible_systems(officer).filter(owner__code__startswith="P10").exists()
    client.force_login(officer)
    page = client.get("/units/P08/")
    assert page.context["figures"].total == 107
    assert client.get("/units/P02/").status_code == 200  # the past of a unit merged into it
    assert client.get("/units/P10/").status_code == 404


def test_a_renamed_seat_shows_its_name_of_the_date(units, client, role_user):
    client.force_login(role_user(Role.VIEWER, units["P15"]))
    assert client.get("/units/P15/").context["unit"].name == "Lào Cai"
    then = client.get(f"/units/P15/?as_of={BEFORE_MINISTRIES:%d/%m/%Y}")
    assert then.context["unit"].name == "Yên Bái"
