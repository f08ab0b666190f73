import datetime
import io
import unicodedata

import pytest
from pypdf import PdfReader

from compliance import deadlines
from compliance.celery import app
from compliance.reports import content

APPROVAL_DUE = datetime.date(2024, 9, 30)
DEPLOYMENT_DUE = datetime.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Generated files go to a scratch MEDIA_ROOT, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def eager_tasks(request):
    """Tasks run in-process even when REDIS_URL is set, except in the tests marked `broker`
    (which start a real worker): nothing may wait on a queue that no worker reads."""
    if request.node.get_closest_marker("broker"):
        yield
        return
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def directive_09(monkeypatch):
    """The two deadlines of Directive 09/CT-TTg, whatever the deadline table holds today."""
    fixed = [
        deadlines.Deadline(
            "Phê duyệt hồ sơ cấp độ", "Chỉ thị 09/CT-TTg", deadlines.APPROVAL, APPROVAL_DUE
        ),
        deadlines.Deadline(
            "Triển khai đầy đủ phương án", "Chỉ thị 09/CT-TTg", deadlines.DEPLOYMENT, DEPLOYMENT_DUE
        ),
    ]
    monkeypatch.setattr(content, "active_deadlines", lambda as_of=None, unit=None: fixed)
    return fixed


def normalize(text):
    """NFC and single spaces: reportlab splits runs and wraps lines, never changes letters."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(data):
    """The normalised text of each page."""
    reader = PdfReader(io.BytesIO(data))
    return [normalize(page.extract_text()) for page in reader.pages]


def pdf_text(data):
    return " ".join(pdf_pages(data))


def pdf_fonts(data):
    """BaseFont names of every font the pages use, and whether each is embedded."""
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts
