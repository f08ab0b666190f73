"""The login page says what the product is and whom to ask for an account (issue 15)."""

from django.urls import reverse
from django.utils import translation

from tests.admin_language.english import english_in, page_text


def test_the_login_page_says_what_this_is_and_whom_to_ask(client, db):
    text = page_text(client.get(reverse("login")).content.decode())
    assert "bảo đảm an toàn hệ thống thông tin theo cấp độ" in text
    assert "hãy liên hệ người quản trị tài khoản của đơn vị mình" in text
    assert english_in(text) == []


def test_in_english_too(client, db):
    # The request activates English in this thread; the override puts Vietnamese back after.
    with translation.override("vi"):
        client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
        text = page_text(client.get(reverse("login")).content.decode())
    assert "registry of state information systems by security level" in text
    assert "ask the account administrator of your unit" in text
