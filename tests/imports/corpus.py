"""Good, awkward and hostile import files, built at test time (none is committed).

openpyxl writes the ordinary workbooks; `raw_xlsx` writes the zip parts by hand, so a sheet can be
malformed, enormous or lie about its sizes. bench/imports.py builds its zip bomb here too.
"""

import io
import os
import struct
import zipfile

from openpyxl import Workbook

from tests.imports.conftest import csv_bytes

HEADERS = ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản", "Cấp độ đề xuất", "Ngày khai báo"]
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def good_row(number, code=None):
    return [code or f"NEW-{number:05d}", f"Hệ thống số {number}", "Tỉnh A", "2", "15/01/2024"]


def inline_row(number, cells):
    """One <row> of inline strings (what a hand-built sheet holds)."""
    xml = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f'<row r="{number}">{xml}</row>'.encode()


def raw_xlsx(sheet_chunks, *, entries=(), level=6):
    """An .xlsx whose sheet XML is the given chunks (streamed into the archive)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def sheet(rows):
    """Chunks of a sheet with a header and the given rows (lists of text)."""
    yield SHEET_HEAD + inline_row(1, HEADERS)
    for number, cells in enumerate(rows, start=2):
        yield inline_row(number, cells)
    yield SHEET_TAIL


def bomb(unpacked_bytes):
    """A real deflate bomb: a valid sheet whose rows repeat until `unpacked_bytes`."""

    def chunks():
        yield SHEET_HEAD + inline_row(1, HEADERS)
        block = b"<row>" + b'<c t="inlineStr"><is><t>A</t></is></c>' * 4 + b"</row>"
        block *= (1 << 20) // len(block)
        for _ in range(unpacked_bytes // len(block)):
            yield block
        yield SHEET_TAIL

    return raw_xlsx(chunks(), level=9)


def lying_sizes(data, declared=1000):
    """The archive with every entry's uncompressed size declared as `declared` bytes (the
    central directory and the local headers), as a hand-made bomb does to pass size checks."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        infos = archive.infolist()
    for info in infos:
        # Local header: the uncompressed size is at offset 22.
        struct.pack_into("<I", data, info.header_offset + 22, declared)
    position = data.rfind(b"PK\x05\x06")
    count, size, start = struct.unpack_from("<HII", data, position + 10)
    offset = start
    for _ in range(count):
        struct.pack_into("<I", data, offset + 24, declared)  # central directory entry
        names, extra, comment = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + names + extra + comment
    return bytes(data)


def shared_strings_flood(count):
    """A sheet of one row over a shared string table of `count` distinct strings, random enough
    to pass the compression-ratio check."""

    def strings():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for start in range(0, count, 10_000):
            batch = (os.urandom(4).hex() for _ in range(min(10_000, count - start)))
            yield "".join(f"<si><t>{text}</t></si>" for text in batch).encode()
        yield b"</sst>"

    buffer = io.BytesIO(raw_xlsx(sheet([good_row(1)])))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part,
    ):
        for chunk in strings():
            part.write(chunk)
    return buffer.getvalue()


def replaced(data, name, content):
    """The archive with the part `name` replaced by `content`."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            archive.writestr(info.filename, content if info.filename == name else source.read(info))
    return buffer.getvalue()


def many_entries(count):
    return raw_xlsx(
        sheet([good_row(1)]), entries=[(f"xl/media/{n}.xml", b"<a/>") for n in range(count)]
    )


def merged_two_row_header():
    """A group cell "Hồ sơ đề xuất cấp độ" merged over three real columns (a common layout)."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(
        ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản", "Hồ sơ đề xuất cấp độ", None, None]
    )
    ws.append([None, None, None, "Cấp độ đề xuất", "Tình trạng hồ sơ", "Ngày gửi thẩm định"])
    ws.append(["NEW-1", "Hệ thống mới", "Tỉnh A", "3", "Đã gửi thẩm định", "10/06/2024"])
    for column in "ABC":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("D1:F1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def nul_after_8k():
    """A NUL byte in a name, far past the start that a binary sniff reads."""
    rows = [HEADERS] + [good_row(n) for n in range(1, 200)]
    rows[150][1] = "Hệ thống\x00 ẩn"
    data = csv_bytes(rows)
    assert data.index(b"\x00") > 8192
    return data


def unclosed_quote():
    text = "\n".join(
        [
            ",".join(HEADERS),
            'NEW-1,"Hệ thống một,Tỉnh A,2,15/01/2024',
            "NEW-2,Hệ thống hai,Tỉnh A,2,15/01/2024",
            "NEW-3,Hệ thống ba,Tỉnh A,2,15/01/2024",
        ]
    )
    return text.encode("utf-8")


def ods():
    """LibreOffice's OpenDocument spreadsheet as the import sees it: a zip with a mimetype."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()
