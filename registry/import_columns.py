"""The columns of the system spreadsheet: headers, accepted words, how a cell is read and written.

One list serves the import (registry/imports.py), the export and the template
(registry/exports.py) and the guide sheet, so the three cannot disagree. The
file format is Vietnamese whatever the UI language: headers and words below are
data, not translatable strings. English headers and words are accepted too.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from registry.levels.choices import (
    IndustrialWorksGrade,
    InfrastructureReach,
    NationalRole,
    SecurityHarm,
    UserBand,
)
from registry.models import Authority, Deployment, DossierStatus, Lifecycle, SystemType
from registry.names import fold_ascii
from registry.transitions import normalize_code, validate_code


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


@functools.lru_cache(maxsize=4096)
def text_key(text):
    """Headers and words compared without case, diacritics or punctuation."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold_ascii(str(text))).split())


# Value → accepted words; the first word is what the export writes (the registry's Vietnamese
# label, DOMAIN.md §4 and §5), the others are common variants and the English label.
DOSSIER_WORDS = {
    DossierStatus.DRAFTING: ("Đang dự thảo", "Dự thảo", "Drafting", "Draft"),
    DossierStatus.SUBMITTED: (
        "Đã gửi thẩm định",
        "Đang thẩm định",
        "Chờ thẩm định",
        "Sent for appraisal",
        "Submitted",
    ),
    DossierStatus.APPRAISED: ("Đã thẩm định", "Appraised"),
    DossierStatus.APPROVED: ("Đã được phê duyệt", "Đã phê duyệt", "Được phê duyệt", "Approved"),
    DossierStatus.RETURNED: (
        "Trả lại để chỉnh sửa",
        "Bị trả lại",
        "Trả lại",
        "Returned for revision",
        "Returned",
    ),
}
DEPLOYMENT_WORDS = {
    Deployment.NOT_STARTED: ("Chưa triển khai", "Not started", "None"),
    Deployment.PARTIAL: (
        "Triển khai một phần",
        "Một phần",
        "Đang triển khai",
        "Partial",
        "Partially deployed",
    ),
    Deployment.FULL: (
        "Triển khai đầy đủ",
        "Đã triển khai đầy đủ",
        "Đầy đủ",
        "Hoàn thành",
        "Full",
        "Fully deployed",
    ),
}
LIFECYCLE_WORDS = {
    Lifecycle.PLANNED: ("Đang lập kế hoạch", "Kế hoạch", "Planned"),
    Lifecycle.IN_DEVELOPMENT: ("Đang xây dựng", "In development"),
    Lifecycle.OPERATING: ("Đang vận hành", "Đang hoạt động", "Vận hành", "Operating"),
    Lifecycle.RETIRED: ("Đã ngừng sử dụng", "Ngừng sử dụng", "Đã dừng hoạt động", "Retired"),
}
SYSTEM_TYPE_WORDS = {
    SystemType.INTERNAL: ("Hệ thống nội bộ", "Nội bộ", "Internal system", "Internal"),
    SystemType.PUBLIC_SERVICE: ("Dịch vụ công trực tuyến", "Dịch vụ công", "Online public service"),
    SystemType.ONLINE_SERVICE: ("Dịch vụ trực tuyến", "Online service"),
    SystemType.INFRASTRUCTURE: ("Hạ tầng thông tin", "Hạ tầng", "Infrastructure"),
    SystemType.INDUSTRIAL_CONTROL: ("Điều khiển công nghiệp", "Industrial control"),
    SystemType.OTHER: ("Khác", "Other"),
}
AUTHORITY_WORDS = {
    Authority.SPECIALISED_UNIT: (
        "Đơn vị chuyên trách về an toàn thông tin",
        "Đơn vị chuyên trách ATTT",
        "Đơn vị chuyên trách",
        "Specialised security unit",
    ),
    Authority.SYSTEM_OWNER: (
        "Chủ quản hệ thống thông tin",
        "Chủ quản hệ thống",
        "Chủ quản",
        "System owner",
    ),
    Authority.NATIONAL_AUTHORITY: (
        "Cơ quan có thẩm quyền quốc gia",
        "Cơ quan chức năng quốc gia",
        "National authority",
    ),
}
USER_BAND_WORDS = {
    UserBand.UNDER_10000: ("Dưới 10.000", "Dưới 10000", "Fewer than 10,000", "Under 10000"),
    UserBand.FROM_10000: ("Từ 10.000 trở lên", "Từ 10000 trở lên", "10,000 or more", "10000+"),
}
REACH_WORDS = {
    InfrastructureReach.SINGLE_AGENCY: ("Một cơ quan", "Single agency"),
    InfrastructureReach.SECTOR_OR_PROVINCE: (
        "Dùng chung trong ngành hoặc tỉnh",
        "Ngành, tỉnh",
        "Sector or province",
    ),
    InfrastructureReach.NATIONWIDE: ("Dùng chung toàn quốc, vận hành 24/7", "Nationwide"),
    InfrastructureReach.INTERNATIONAL: ("Kết nối quốc tế", "International"),
}
HARM_WORDS = {
    SecurityHarm.HARM: ("Gây tổn hại", "Harm"),
    SecurityHarm.SERIOUS: ("Tổn hại nghiêm trọng", "Serious"),
    SecurityHarm.ESPECIALLY_SERIOUS: ("Tổn hại đặc biệt nghiêm trọng", "Especially serious"),
}
WORKS_WORDS = {
    IndustrialWorksGrade.GRADE_II_TO_IV: ("Cấp II đến IV", "Cấp II-IV", "Grade II to IV"),
    IndustrialWorksGrade.GRADE_I: ("Cấp I", "Grade I"),
}
ROLE_WORDS = {
    NationalRole.E_GOVERNMENT: ("Chính phủ điện tử quốc gia, vận hành 24/7", "E-government"),
    NationalRole.NATIONAL_DATA: ("Lưu trữ dữ liệu quốc gia đặc biệt quan trọng", "National data"),
    NationalRole.DESIGNATED: ("Do Thủ tướng Chính phủ chỉ định", "Designated"),
}
TRUE_WORDS = ("Có", "x", "Yes", "True", "1", "Đúng")
FALSE_WORDS = ("Không", "No", "False", "0", "Sai")
# Placeholders people type for "nothing here".
EMPTY_WORDS = {"", "-", "–", "—", "n/a", "N/A"}

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
INTEGER = re.compile(r"^[+-]?\d+(\.0+)?$")
LEVEL_PREFIX = re.compile(r"^(cap do|cap|muc|level)\s*")
DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple = ()
    kind: str = "text"  # code, text, unit, date, level, bool, choice
    words: dict = field(default_factory=dict)
    required: bool = False
    help: str = ""

    def parse(self, raw):
        """The Python value of a non-empty cell, or CellError."""
        return PARSERS[self.kind](self, raw)

    def render(self, value):
        """What the export writes for a value (units are rendered by the exporter)."""
        if value is None or value == "":
            return ""
        if self.kind == "bool":
            return TRUE_WORDS[0] if value else FALSE_WORDS[0]
        if self.kind == "choice":
            return self.words[value][0]
        return value

    def accepted(self):
        """The accepted words, for the guide and for error messages."""
        return [words[0] for words in self.words.values()]

    def lookup(self):
        return _word_lookup(self.words)


def _word_lookup(words):
    lookup = {}
    for value, variants in words.items():
        for word in (value, *variants):
            key = text_key(word)
            if lookup.setdefault(key, value) != value:
                raise ValueError(f"The word {word!r} means two values.")
    return lookup


def _parse_text(column, raw):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _parse_code(column, raw):
    """Codes are compared in their one spelling: "p38‐it-00001" is P38-IT-00001."""
    code = normalize_code(_parse_text(column, raw))
    validate_code(code)
    return code


def _parse_date(column, raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    match = DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = ISO.match(text)
        if not match:
            raise CellError(
                _("“%(value)s” is not a date: write dd/mm/yyyy, e.g. 25/12/2023.") % {"value": text}
            )
        year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None


def _parse_level(column, raw):
    if isinstance(raw, bool):
        raw = str(raw)  # a TRUE/FALSE cell is not a level
    elif isinstance(raw, int | float) and float(raw).is_integer():
        return int(raw)
    if INTEGER.match(str(raw).strip()):
        return int(float(str(raw).strip()))
    text = LEVEL_PREFIX.sub("", text_key(raw))
    if text.isdigit():
        return int(text)
    if text in ROMAN:
        return ROMAN[text]
    raise CellError(
        _("“%(value)s” is not a level: write 1 to 5, e.g. 3, Cấp độ 3 or III.") % {"value": raw}
    )


def _parse_bool(column, raw):
    if isinstance(raw, bool):
        return raw
    key = text_key(_parse_text(column, raw))
    if key in BOOL_LOOKUP:
        return BOOL_LOOKUP[key]
    raise CellError(
        _("“%(value)s” is not yes or no: write %(yes)s or %(no)s.")
        % {"value": raw, "yes": TRUE_WORDS[0], "no": FALSE_WORDS[0]}
    )


def _parse_choice(column, raw):
    value = CHOICE_LOOKUPS[column.field].get(text_key(_parse_text(column, raw)))
    if value is None:
        raise CellError(
            _("“%(value)s” is not one of: %(words)s.")
            % {"value": raw, "words": "; ".join(column.accepted())}
        )
    return value


PARSERS = {
    "code": _parse_code,
    "text": _parse_text,
    "unit": _parse_text,
    "date": _parse_date,
    "level": _parse_level,
    "bool": _parse_bool,
    "choice": _parse_choice,
}

COLUMNS = (
    Column(
        "code",
        "Mã hệ thống",
        ("Mã HTTT", "Mã hệ thống thông tin", "Mã", "System code", "Code"),
        kind="code",
        required=True,
        help="Mã duy nhất của hệ thống; mã đã có thì cập nhật hệ thống đó, mã mới thì tạo mới.",
    ),
    Column(
        "name",
        "Tên hệ thống",
        ("Tên HTTT", "Tên hệ thống thông tin", "System name", "Name"),
        required=True,
        help="Tên đầy đủ của hệ thống thông tin.",
    ),
    Column(
        "owner",
        "Đơn vị chủ quản",
        ("Chủ quản", "Cơ quan chủ quản", "Chủ quản HTTT", "Owner unit", "Owner", "Unit"),
        kind="unit",
        required=True,
        help="Tên hoặc mã đơn vị, ví dụ “Thanh Hóa”, “UBND tỉnh Thanh Hoá” hoặc “P38”.",
    ),
    Column(
        "operator",
        "Đơn vị vận hành",
        ("Operator unit", "Operator"),
        kind="unit",
        help="Tên hoặc mã đơn vị vận hành; để trống nếu không có.",
    ),
    Column(
        "system_type",
        "Loại hệ thống",
        ("Loại HTTT", "System type", "Type"),
        kind="choice",
        words=SYSTEM_TYPE_WORDS,
    ),
    Column(
        "handles_private_data",
        "Thông tin riêng",
        ("Có thông tin riêng", "Private information", "Private data"),
        kind="bool",
    ),
    Column(
        "handles_personal_data",
        "Dữ liệu cá nhân",
        ("Thông tin cá nhân", "Personal data"),
        kind="bool",
    ),
    Column("handles_state_secrets", "Bí mật nhà nước", ("State secrets",), kind="bool"),
    # Issue 14: the other criteria of the level (registry/levels/rules.py).
    Column(
        "online_service_level",
        "Mức độ dịch vụ công trực tuyến",
        ("Mức độ DVCTT", "Online public service level"),
        kind="level",
        help="1 đến 4; chỉ với dịch vụ công trực tuyến.",
    ),
    Column(
        "user_count_band",
        "Số người dùng",
        ("Quy mô người dùng", "Users"),
        kind="choice",
        words=USER_BAND_WORDS,
    ),
    Column(
        "conditional_business",
        "Ngành nghề kinh doanh có điều kiện",
        ("Kinh doanh có điều kiện", "Conditional business line"),
        kind="bool",
    ),
    Column(
        "infrastructure_reach",
        "Phạm vi hạ tầng",
        ("Infrastructure reach",),
        kind="choice",
        words=REACH_WORDS,
    ),
    Column(
        "security_harm",
        "Mức tổn hại quốc phòng, an ninh quốc gia",
        ("Tổn hại an ninh quốc gia", "Harm to national security"),
        kind="choice",
        words=HARM_WORDS,
    ),
    Column(
        "industrial_works_grade",
        "Cấp công trình (điều khiển công nghiệp)",
        ("Cấp công trình", "Grade of the works"),
        kind="choice",
        words=WORKS_WORDS,
    ),
    Column(
        "national_role",
        "Vai trò quốc gia",
        ("National role",),
        kind="choice",
        words=ROLE_WORDS,
    ),
    Column(
        "lifecycle",
        "Tình trạng hoạt động",
        ("Trạng thái vận hành", "Lifecycle"),
        kind="choice",
        words=LIFECYCLE_WORDS,
    ),
    Column(
        "declared_on",
        "Ngày khai báo",
        ("Declared on", "Declared"),
        kind="date",
        help="Ngày khai báo vào sổ đăng ký; để trống khi tạo mới thì lấy ngày nhập.",
    ),
    Column(
        "go_live_on",
        "Ngày đưa vào vận hành",
        ("Ngày vận hành", "Go-live date", "Go live"),
        kind="date",
    ),
    Column(
        "retired_on",
        "Ngày ngừng sử dụng",
        ("Retirement date", "Retired on"),
        kind="date",
    ),
    Column(
        "proposed_level",
        "Cấp độ đề xuất",
        ("Cấp độ", "Proposed level", "Level"),
        kind="level",
        help="1 đến 5; chấp nhận “3”, “Cấp độ 3”, “cấp 3”, “III”.",
    ),
    Column(
        "dossier_status",
        "Tình trạng hồ sơ",
        ("Trạng thái hồ sơ", "Tình trạng hồ sơ đề xuất cấp độ", "Dossier status"),
        kind="choice",
        words=DOSSIER_WORDS,
    ),
    Column(
        "submitted_on",
        "Ngày gửi thẩm định",
        ("Sent for appraisal on", "Submitted on"),
        kind="date",
    ),
    Column("appraised_on", "Ngày thẩm định", ("Appraised on",), kind="date"),
    Column("returned_on", "Ngày trả lại", ("Returned on",), kind="date"),
    Column(
        "approved_level",
        "Cấp độ được phê duyệt",
        ("Cấp độ phê duyệt", "Approved level"),
        kind="level",
    ),
    Column(
        "decision_number",
        "Số quyết định phê duyệt",
        ("Số quyết định", "Decision number"),
    ),
    Column(
        "decision_date",
        "Ngày quyết định phê duyệt",
        ("Ngày quyết định", "Ngày phê duyệt", "Decision date"),
        kind="date",
    ),
    Column(
        "decision_authority",
        "Cấp phê duyệt",
        ("Cấp có thẩm quyền phê duyệt", "Cơ quan phê duyệt", "Signing authority", "Approved by"),
        kind="choice",
        words=AUTHORITY_WORDS,
    ),
    Column(
        "deployment",
        "Triển khai phương án",
        (
            "Triển khai phương án bảo đảm an toàn",
            "Tình trạng triển khai",
            "Protection plan deployment",
            "Deployment",
        ),
        kind="choice",
        words=DEPLOYMENT_WORDS,
    ),
    Column(
        "deployed_full_on",
        "Ngày triển khai đầy đủ",
        ("Fully deployed on",),
        kind="date",
    ),
    Column(
        "last_inspection_on",
        "Ngày kiểm tra gần nhất",
        ("Kiểm tra gần nhất", "Last inspection"),
        kind="date",
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED_FIELDS = [column.field for column in COLUMNS if column.required]
# Model fields a row may set (units go through the resolver).
UNIT_FIELDS = ("owner", "operator")
BOOL_LOOKUP = _word_lookup({True: TRUE_WORDS, False: FALSE_WORDS})
CHOICE_LOOKUPS = {column.field: column.lookup() for column in COLUMNS if column.kind == "choice"}


def _header_lookup():
    lookup = {}
    for column in COLUMNS:
        for header in (column.header, *column.aliases, column.field):
            key = text_key(header)
            if lookup.setdefault(key, column) is not column:
                raise ValueError(f"The header {header!r} names two columns.")
    return lookup


HEADER_LOOKUP = _header_lookup()


def column_for_header(header):
    """The column a header names ("Cấp độ đề xuất (1-5)" too), or None."""
    if header is None:
        return None
    text = str(header)
    column = HEADER_LOOKUP.get(text_key(text))
    if column is None and "(" in text:
        column = HEADER_LOOKUP.get(text_key(re.sub(r"\(.*?\)", " ", text)))
    return column


def is_empty(raw):
    return raw is None or (isinstance(raw, str) and raw.strip() in EMPTY_WORDS)
