"""Building an annual report's files: what the prepare action and the command call."""

import hashlib

from compliance.annual.content import annual_content
from compliance.annual.pdf import annual_pdf
from compliance.annual.xlsx import annual_xlsx

RENDERERS = {"pdf": annual_pdf, "xlsx": annual_xlsx}
FORMATS = tuple(RENDERERS)


def build(unit, year, fmt, content=None):
    """The file's bytes in `fmt` (pdf or xlsx); `content` reused when already read."""
    return RENDERERS[fmt](content or annual_content(unit, year))


def build_all(unit, year):
    """{format: (bytes, sha256)} of every format, from one read of the registry."""
    content = annual_content(unit, year)
    files = {}
    for fmt in FORMATS:
        data = build(unit, year, fmt, content)
        files[fmt] = (data, hashlib.sha256(data).hexdigest())
    return content, files
