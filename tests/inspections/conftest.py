# English messages (the msgids) and report files in a temporary directory, as in the imports.
import pytest

from tests.imports.conftest import english, media_root  # noqa: F401


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English too (a cookie, as a user's choice); tests of the Vietnamese default
    delete it."""
    client.cookies["django_language"] = "en"
