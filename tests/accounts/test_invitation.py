"""The invitation e-mail's link, end to end: set the password once, then sign in."""

import re

from django.contrib.auth import get_user_model

from registry.models import Role


def _invite(client, provinces, settings, commit):
    settings.SITE_URL = "https://compliance.example.gov.vn"
    client.force_login(provinces["admin_a"])
    data = {
        "username": "viewer.a",
        "full_name": "Trần Thị Bình",
        "email": "binh@example.gov.vn",
        "role": Role.VIEWER,
        "unit": provinces["a"].pk,
    }
    with commit():
        assert client.post("/accounts/new/", data).status_code == 302
    client.logout()


def _link(message):
    url = re.search(
        r"https://compliance\.example\.gov\.vn(/accounts/invitation/\S+/)", message.body
    )
    assert url, message.body
    return url.group(1)


def test_invitation_sets_the_password_once_and_the_user_signs_in(
    client, provinces, settings, mailoutbox, commit
):
    _invite(client, provinces, settings, commit)
    message = mailoutbox[0]
    assert "viewer.a" in message.body and "Trần Thị Bình" in message.body
    link = _link(message)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "Mật-khẩu-mới-2026"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302 and response["Location"] == "/login/"

    again = client.get(link, follow=True)
    assert not again.context["validlink"]  # spent: the password changed

    response = client.post("/login/", {"username": "viewer.a", "password": new_password})
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.status_code == 200
    assert page.wsgi_request.user.username == "viewer.a"


def test_a_forged_or_foreign_token_is_refused(client, provinces, settings, mailoutbox, commit):
    _invite(client, provinces, settings, commit)
    link = _link(mailoutbox[0])
    forged = re.sub(r"/[^/]+/$", "/abc-123/", link)
    assert not client.get(forged, follow=True).context["validlink"]


def test_a_deactivated_account_cannot_use_its_invitation(
    client, provinces, settings, mailoutbox, commit
):
    _invite(client, provinces, settings, commit)
    get_user_model().objects.filter(username="viewer.a").update(is_active=False)
    assert not client.get(_link(mailoutbox[0]), follow=True).context["validlink"]
