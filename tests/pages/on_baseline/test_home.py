from django.urls import reverse

from registry.models import Role
from tests.factories import UserFactory


def test_home_sends_each_role_to_its_page(login, national_admin, viewer_p38, officer_b05, units):
    assert login(national_admin).get("/")["Location"] == reverse("compliance:national")
    assert login(viewer_p38).get("/")["Location"] == reverse("compliance:unit", args=["P38"])
    assert login(officer_b05).get("/")["Location"] == reverse("compliance:unit", args=["B05"])


def test_a_user_with_several_units_gets_a_list(login, role_user, units):
    user = role_user(Role.VIEWER, units["P38"])
    from registry.models import Membership

    Membership.objects.create(user=user, unit=units["P01"], role=Role.MANAGER)
    response = login(user).get("/")
    assert response.status_code == 200
    assert [unit.code for unit in response.context["units"]] == ["P01", "P38"]


def test_a_user_without_a_role_is_told_so(login, db):
    html = login(UserFactory()).get("/").content.decode()
    assert "chưa được phân quyền" in html


def test_login_page_and_anonymous_home(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()  # Vietnamese by default


def test_login_then_home(client, viewer_p38):
    response = client.post(
        reverse("login"), {"username": viewer_p38.username, "password": "pw-Secret-123"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("compliance:unit", args=["P38"])


def test_english_on_request(client, viewer_p38):
    client.force_login(viewer_p38)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("compliance:unit", args=["P38"])).content.decode()
    assert "Outstanding systems" in html and '<html lang="en">' in html


def test_static_files_come_from_the_app(client, viewer_p38):
    client.force_login(viewer_p38)
    html = client.get(reverse("compliance:unit", args=["P38"])).content.decode()
    assert "/static/compliance/app.css" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
