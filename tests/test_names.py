import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registry.names import UnitResolver, fold_ascii, resolve_unit, unit_name_key
from tests.factories import SubUnitFactory, UnitFactory


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("thành phố hồ chí minh", "Hồ Chí Minh"),
        ("Tỉnh Thanh Hoá", "Thanh Hóa"),
        ("THANH HÓA", "Thanh Hóa"),
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu"),
        ("Bà Rịa–Vũng Tàu", "Bà Rịa Vũng Tàu"),
        ("  Thừa   Thiên-Huế ", "Thừa Thiên Huế"),
        (unicodedata.normalize("NFD", "Đắk Lắk"), "Đắk Lắk"),
        ("UBND tỉnh Quảng Ninh", "Quảng Ninh"),
        ("Bộ Lao động – Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    ],
)
def test_spellings_of_one_unit_share_a_key(typed, stored):
    assert unit_name_key(typed) == unit_name_key(stored)


def test_different_units_keep_different_keys():
    assert unit_name_key("Hà Nam") != unit_name_key("Hà Nội")
    assert unit_name_key("Quảng Nam") != unit_name_key("Quảng Ninh")


def test_fold_ascii_drops_every_diacritic():
    assert fold_ascii("Đắk Lắk") == "dak lak"
    assert fold_ascii("Hà Nội") == "ha noi"


@pytest.fixture
def provinces(db):
    return {
        "hcm": UnitFactory(name="Hồ Chí Minh", code="P79"),
        "lang": UnitFactory(name="Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", code="B22"),
        "hoabinh": UnitFactory(name="Hòa Bình", code="P17"),
    }


def test_resolve_by_any_spelling_or_code(provinces):
    assert resolve_unit("TP.HCM".replace("HCM", " Hồ Chí Minh")) == provinces["hcm"]
    assert resolve_unit("hoa binh") == provinces["hoabinh"]
    assert resolve_unit("p17") == provinces["hoabinh"]


def test_unknown_name_is_a_clear_error(provinces):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        resolve_unit("Tỉnh Không Có")
    assert caught.value.messages == ["Không tìm thấy đơn vị “Tỉnh Không Có”."]


def test_ambiguous_name_names_every_candidate(db):
    first = SubUnitFactory(name="Sở Thông tin và Truyền thông", code="P01-IT")
    second = SubUnitFactory(name="Sở Thông tin và Truyền thông", code="P38-IT")
    resolver = UnitResolver([first, second])
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        resolver.resolve("so thong tin va truyen thong")
    message = caught.value.messages[0]
    assert "ambiguous" in message
    assert "P01-IT" in message and "P38-IT" in message
    assert first.parent.name in message and second.parent.name in message


def test_exact_tone_marks_win_over_the_ascii_fallback(db):
    hanam = UnitFactory(name="Hà Nam")
    UnitFactory(name="Hạ Nam")  # same letters, other tones
    assert resolve_unit("Hà Nam") == hanam
    with pytest.raises(ValidationError):
        resolve_unit("ha nam")
