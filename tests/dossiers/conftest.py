# English messages and pages, report files in a temporary directory (tests/inspections).
from tests.inspections.conftest import english, english_pages, media_root  # noqa: F401
