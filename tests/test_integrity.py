"""Codes, text and the unit tree hold whatever the write path (issue 9)."""

import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry.models import InformationSystem, Role, Unit
from registry.text import clean_text, forbidden_character
from registry.transitions import normalize_code, validate_code
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory

LOOK_ALIKES = ["p38-it-00001", "P38‐IT‐00001", "P38–IT—00001", " P38-IT-00001 ", "Ｐ３８-IT-00001"]


@pytest.mark.parametrize("spelling", LOOK_ALIKES)
def test_look_alike_codes_have_one_spelling(spelling):
    assert normalize_code(spelling) == "P38-IT-00001"


@pytest.mark.parametrize(
    "code", ["P38-IT-00001\u200b", "P38\x00", "P38\r\nBcc: x", "P38\u202e", "P38\t1"]
)
def test_codes_with_invisible_or_control_characters_are_refused(code):
    with pytest.raises(ValidationError) as error:
        normalize_code(code)
    assert "U+" in error.value.messages[0]


@pytest.mark.parametrize("code", ["", "-P38", "P38-", "P 38", "HÀ-NỘI", "P38/1", "A" * 2 + "!"])
def test_codes_outside_the_character_set_are_refused(code):
    with pytest.raises(ValidationError):
        validate_code(normalize_code(code))


def test_text_is_nfc_and_trimmed():
    assert clean_text("  Ho\u0300a Bi\u0300nh ") == "Hòa Bình"
    assert clean_text("dòng 1\r\ndòng 2", multiline=True) == "dòng 1\ndòng 2"
    with pytest.raises(ValidationError):
        clean_text("dòng 1\ndòng 2")


FORBIDDEN = [
    chr(point)
    for point in range(sys.maxunicode + 1)
    if unicodedata.category(chr(point)) in {"Cc", "Cf", "Cs", "Zl", "Zp"}
]


@pytest.mark.parametrize("multiline", [False, True])
def test_every_invisible_or_control_character_in_unicode_is_refused(multiline):
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for char in FORBIDDEN:
        found = forbidden_character(f"Hệ thống{char}x", multiline=multiline)
        assert found == (None if char in allowed else char), f"U+{ord(char):04X}"
    assert forbidden_character("Hệ thống quản lý văn bản — 12/QĐ-UBND (bản 2)") is None


@pytest.mark.django_db
def test_a_bare_save_stores_the_code_normalised_and_refuses_control_characters():
    system = SystemFactory(code="p01-it-00042")
    assert InformationSystem.objects.get(pk=system.pk).code == "P01-IT-00042"
    system.name = "Cổng\x00thông tin"
    with pytest.raises(ValidationError) as error:
        system.save()
    assert "name" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("code", ["P01\r\nBcc: x", "p01", "P01\x1f", ""])
def test_the_database_refuses_a_bad_code_from_any_path(code):
    system = SystemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSystem.objects.filter(pk=system.pk).update(code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=system.owner_id).update(code=code)


@pytest.mark.django_db
def test_moving_a_unit_moves_its_whole_subtree():
    old_parent, new_parent = UnitFactory(), UnitFactory()
    moved = SubUnitFactory(parent=old_parent)
    child = SubUnitFactory(parent=moved)
    grandchild = SubUnitFactory(parent=child)
    moved.parent = new_parent
    moved.save()
    for unit in (moved, child, grandchild):
        unit.refresh_from_db()
        assert unit.path.startswith(new_parent.path), unit
        assert unit.reporting_unit_id == new_parent.pk
    assert grandchild.path == f"{new_parent.path}{moved.pk}/{child.pk}/{grandchild.pk}/"


@pytest.mark.django_db
def test_a_stale_instance_cannot_corrupt_the_tree():
    """A past version carries the paths of its day; the tree is computed from the database."""
    province, other = UnitFactory(), UnitFactory()
    department = SubUnitFactory(parent=province)
    child = SubUnitFactory(parent=department)
    stale = Unit.objects.get(pk=department.pk)
    department.parent = other
    department.save()
    stale.name = "Tên cũ"
    stale.save()  # parent is still `province` in the stale copy: the move is undone cleanly
    child.refresh_from_db()
    assert child.path == f"{province.path}{department.pk}/{child.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [0, 1, 2])
def test_a_unit_cannot_become_its_own_ancestor(depth):
    root = UnitFactory()
    chain = [root]
    for _ in range(depth + 1):
        chain.append(SubUnitFactory(parent=chain[-1]))
    root.parent = chain[-1] if depth else root
    before = list(Unit.objects.order_by("pk").values_list("pk", "path", "parent_id"))
    with pytest.raises(ValidationError), transaction.atomic():
        root.save()
    with pytest.raises(ValidationError):
        root.clean()
    assert list(Unit.objects.order_by("pk").values_list("pk", "path", "parent_id")) == before


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_control_characters_in_a_request_are_a_clean_400(client, role_user, language):
    unit = UnitFactory()
    client.force_login(role_user(Role.VIEWER, unit))
    client.cookies["django_language"] = language
    heading = {"vi": "Không đọc được yêu cầu", "en": "The request could not be read"}[language]
    for url in ("/units/%00/", "/admin/registry/informationsystem/?q=a%00b", "/?x=%E2%80%8B"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert heading in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "vi\x00", "next": "/"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_unit_sees_only_the_campaigns_aimed_at_it():
    import datetime

    from compliance.deadlines import active_deadlines
    from compliance.reports.content import deadline_lines
    from notifications.models import DeadlineCampaign

    mine, other = UnitFactory(), UnitFactory()
    department = SubUnitFactory(parent=mine)
    aimed = {}
    for name, units in (("everyone", []), ("mine", [mine]), ("other", [other])):
        campaign = DeadlineCampaign.objects.create(
            name=name,
            requirement="approval",
            issued_on=datetime.date(2026, 1, 1),
            due_date=datetime.date(2030, 1, 1),
        )
        campaign.units.set(units)
        aimed[name] = campaign
    names = {d.name for d in active_deadlines(unit=department)}
    assert {"everyone", "mine"} <= names and "other" not in names
    lines = deadline_lines(datetime.date(2029, 1, 1), [], unit=department)
    assert "other" not in {line.name for line in lines}
