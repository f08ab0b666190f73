"""The admin shows the suggestion beside the proposed level and warns without refusing; the
list of systems below the suggestion, in the reader's scope."""

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict

from registry.dossiers.models import DossierRound
from registry.levels.choices import NationalRole
from registry.models import InformationSystem, Role, SystemType
from tests.dossiers.test_actions import redetermine
from tests.factories import SystemFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def _form_data(system, **changes):
    data = {k: ("" if v is None else v) for k, v in model_to_dict(system).items()}
    data.update(changes, _save="1")
    return data


def test_the_admin_suggests_and_warns_but_saves(client):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, proposed_level=2)
    client.force_login(user_with_role(Role.OFFICER, unit))
    url = f"/admin/registry/informationsystem/{system.pk}/change/"
    page = client.get(url).content.decode()
    assert "Level 1" in page and "Art. 7" in page  # nothing recorded: internal, public
    response = client.post(
        url, _form_data(system, system_type=SystemType.PUBLIC_SERVICE, online_service_level="3")
    )
    assert response.status_code == 302
    system.refresh_from_db()
    assert (system.online_service_level, system.proposed_level) == (3, 2)  # saved as typed
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("is below level 3" in m and "Art. 9" in m for m in warnings), warnings
    page = client.get(url).content.decode()
    assert "Level 3" in page and "online public service at level 3 or above" in page
    assert "The proposed level is below level 3" in page


def test_no_warning_when_the_level_meets_the_criteria(client):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, proposed_level=3)
    client.force_login(user_with_role(Role.OFFICER, unit))
    response = client.post(
        f"/admin/registry/informationsystem/{system.pk}/change/",
        _form_data(system, handles_state_secrets="on"),
    )
    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if "below" in str(m)]


def test_a_level_out_of_range_is_refused_with_its_field(client):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, system_type=SystemType.PUBLIC_SERVICE)
    client.force_login(user_with_role(Role.OFFICER, unit))
    response = client.post(
        f"/admin/registry/informationsystem/{system.pk}/change/",
        _form_data(system, online_service_level="9"),
    )
    assert response.status_code == 200
    assert "less than or equal to 4" in response.content.decode()
    system.refresh_from_db()
    assert system.online_service_level is None


@pytest.fixture
def below():
    unit_a, unit_b = UnitFactory(name="Tỉnh A"), UnitFactory(name="Tỉnh B")
    return {
        "a": SystemFactory(
            owner=unit_a, proposed_level=2, handles_state_secrets=True, code="A-LOW"
        ),
        "a_ok": SystemFactory(owner=unit_a, proposed_level=3, handles_state_secrets=True),
        "a_unleveled": SystemFactory(owner=unit_a, proposed_level=None, handles_state_secrets=True),
        "b": SystemFactory(
            owner=unit_b,
            approved=True,
            proposed_level=3,
            national_role=NationalRole.DESIGNATED,
            code="B-LOW",
        ),
    }


def test_the_national_list_shows_every_system_below_the_suggestion(client, below):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    page = client.get("/levels/below-suggestion/").content.decode()
    assert "2 systems" in page
    assert page.index("B-LOW") < page.index("A-LOW")  # the widest gap first
    assert "Art. 11" in page and "designated by the Prime Minister" in page
    assert below["a_ok"].code not in page and below["a_unleveled"].code not in page


def test_others_see_their_own_scope_only(client, below):
    client.force_login(user_with_role(Role.OFFICER, below["a"].owner))
    page = client.get("/levels/below-suggestion/").content.decode()
    assert "A-LOW" in page and "B-LOW" not in page and "Tỉnh B" not in page
    client.force_login(user_with_role(Role.ACCOUNT_ADMIN, below["a"].owner))
    assert client.get("/levels/below-suggestion/").status_code == 403


def test_a_re_determination_to_the_suggested_level_takes_it_off_the_list(client):
    system = SystemFactory(approved=True, proposed_level=2, handles_state_secrets=True)
    national = user_with_role(Role.NATIONAL_ADMIN)
    client.force_login(national)
    assert system.code in client.get("/levels/below-suggestion/").content.decode()
    redetermine(system, national, level=3)
    assert DossierRound.objects.get().approved_level == 3
    assert system.code not in client.get("/levels/below-suggestion/").content.decode()


@pytest.mark.parametrize("page", ["2", "abc", "9" * 5000, "-1", "1e309", ""])
def test_any_page_number_gives_a_page(client, below, page):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    assert client.get("/levels/below-suggestion/", {"page": page}).status_code == 200


def test_the_list_takes_the_same_queries_whatever_its_length(
    client, below, django_assert_max_num_queries
):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    with django_assert_max_num_queries(8) as few:
        client.get("/levels/below-suggestion/")
    SystemFactory.create_batch(30, proposed_level=1, handles_private_data=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/levels/below-suggestion/").content.decode()
    assert "32 systems" in page
    assert InformationSystem.objects.count() == 34


def test_the_suggestion_reads_in_vietnamese_by_default(client):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, proposed_level=1, handles_personal_data=True)
    client.force_login(user_with_role(Role.OFFICER, unit))
    del client.cookies["django_language"]
    page = client.get(f"/admin/registry/informationsystem/{system.pk}/change/").content.decode()
    assert "Cấp độ 2" in page and "Nghị định 85/2016/NĐ-CP, Điều 8" in page
    assert "Lưu ý: cấp độ đề xuất thấp hơn cấp độ 2" in page
