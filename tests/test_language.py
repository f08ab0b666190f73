"""Vietnamese first whatever the browser says; English on the user's explicit choice."""

import datetime

from django.urls import reverse
from django.utils import formats, translation


def test_vietnamese_even_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html


def test_english_after_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html


def test_dates_are_written_and_read_day_first_in_vietnamese():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2024, 9, 30), "SHORT_DATE_FORMAT") == "30/09/2024"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


def test_table_pagination_is_translated():
    # django-tables2 ships no Vietnamese catalog; ours covers its pager.
    with translation.override("vi"):
        assert (translation.gettext("previous"), translation.gettext("next")) == (
            "trang trước",
            "trang sau",
        )


def test_admin_speaks_vietnamese(client, national_admin):
    client.force_login(national_admin)
    html = client.get("/admin/registry/informationsystem/").content.decode()
    assert "Theo dõi bảo đảm an toàn HTTT theo cấp độ" in html  # our header, not Django's
    assert "Hiện số lượng" in html  # the filter facets toggle
    assert "Trạng thái hồ sơ" in html or "trạng thái hồ sơ" in html.lower()
