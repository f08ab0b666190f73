"""Unit names across the reorganisation: an old name leads to its successor after the date,
with a note; a name is read in the structure of the date it is asked for."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from registry.models import Unit
from registry.names import UnitResolver
from registry.reorganisation.structure import Structure


@pytest.fixture(autouse=True)
def in_vietnamese():
    with translation.override("vi"):
        yield


def resolver(as_of):
    return UnitResolver(list(Unit.objects.select_related("parent")), Structure.load(as_of))


@pytest.mark.parametrize(
    ("typed", "code", "note"),
    [
        ("Hà Giang", "P08", "Hà Giang → Tuyên Quang từ 01/07/2025"),
        ("ha giang", "P08", "ha giang → Tuyên Quang từ 01/07/2025"),
        ("P02", "P08", "P02 → Tuyên Quang từ 01/07/2025"),
        ("Yên Bái", "P15", "Yên Bái → Lào Cai từ 01/07/2025"),
        ("Lào Cai", "P15", None),
        ("Tỉnh Bình Định", "P52", "Tỉnh Bình Định → Gia Lai từ 01/07/2025"),
        (
            "Bộ Thông tin và Truyền thông",
            "B14",
            "Bộ Thông tin và Truyền thông → Bộ Khoa học và Công nghệ từ 01/03/2025",
        ),  # noqa: E501
        ("Tuyên Quang", "P08", None),
    ],
)
def test_today_an_old_name_leads_to_its_successor_with_a_note(units, typed, code, note):
    unit, said = resolver(timezone.localdate()).resolve_with_note(typed)
    assert (unit.code, said) == (code, note)


@pytest.mark.parametrize(
    ("typed", "code"), [("Lào Cai", "P10"), ("Hà Giang", "P02"), ("Yên Bái", "P15")]
)
def test_in_2024_each_name_is_the_unit_that_bore_it(units, typed, code):
    unit, said = resolver(datetime.date(2024, 12, 31)).resolve_with_note(typed)
    assert (unit.code, said) == (code, None)


def test_a_name_borne_by_units_that_went_different_ways_lists_them(units):
    # Bắc Kạn ended into Thái Nguyên; a province renamed "Bắc Kạn" later is another unit.
    from registry.reorganisation import changes
    from registry.reorganisation.models import ChangeKind

    later = timezone.localdate() - datetime.timedelta(days=1)
    spec = changes.ChangeSpec(kind=ChangeKind.RENAME, unit=units["P01"], new_name="Bắc Kạn",
                              effective_on=later, legal_basis="NQ thử")  # fmt: skip
    changes.record_change(spec)
    with pytest.raises(ValidationError) as refused:
        resolver(timezone.localdate()).resolve_with_note("Bắc Kạn")
    message = refused.value.messages[0]
    assert "P06" in message and "P01" in message and "đến 01/07/2025" in message
