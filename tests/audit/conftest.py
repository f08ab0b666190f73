import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored import files and reports go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT
