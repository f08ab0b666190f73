"""The Appendix IX baseline: the 91 reporting units of the July 2024 report and
synthetic systems whose counts equal the published table exactly.

Deterministic for a seed. Per unit, systems are numbered; the first
`fully_deployed` are approved and fully deployed, the next ones up to
`approved` are approved only, the rest are somewhere earlier in the workflow.
Levels follow the national mix of June 2024 (DOMAIN.md §3), allocated by
largest remainder and shuffled. Every date is on or before 2024-06-30.
"""

import csv
import datetime
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from registry.data_version import bump_data_version
from registry.models import (
    Deployment,
    DossierStatus,
    InformationSystem,
    Lifecycle,
    Membership,
    ReportingGroup,
    Role,
    SystemType,
    Unit,
    UnitKind,
)
from registry.names import fold_ascii, unit_name_key
from registry.transitions import APPROVER_BY_LEVEL, validate_system

DATA_DIR = Path(__file__).resolve().parent / "data"
APPENDIX_IX_CSV = DATA_DIR / "appendix_ix_2024_06.csv"
PROVINCE_CODES_CSV = DATA_DIR.parent / "reorganisation" / "data" / "province_mergers_2025.csv"
CUTOFF = datetime.date(2024, 6, 30)
EARLIEST = datetime.date(2018, 1, 1)
NATIONAL_LEVEL_MIX = {1: 3309, 2: 2914, 3: 955, 4: 23, 5: 5}
UNFINISHED_STATUSES = [
    DossierStatus.DRAFTING,
    DossierStatus.SUBMITTED,
    DossierStatus.APPRAISED,
    DossierStatus.RETURNED,
]
MINISTRY_LEVEL_AGENCIES = {
    "Ủy ban Dân tộc",
    "Ngân hàng Nhà nước Việt Nam",
    "Thanh tra Chính phủ",
    "Văn phòng Chính phủ",
}
GOVERNMENT_AGENCIES = {
    "Đài Tiếng nói Việt Nam",
    "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh",
    "Bảo hiểm Xã hội Việt Nam",
    "Thông tấn xã Việt Nam",
    "Đài Truyền hình Việt Nam",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    "Viện Hàn lâm Khoa học và Xã hội Việt Nam",
    "Ủy ban quản lý vốn nhà nước tại doanh nghiệp",
}
SYSTEM_NAMES = [
    ("Cổng thông tin điện tử", SystemType.ONLINE_SERVICE),
    ("Hệ thống thông tin giải quyết thủ tục hành chính", SystemType.PUBLIC_SERVICE),
    ("Hệ thống quản lý văn bản và điều hành", SystemType.INTERNAL),
    ("Hệ thống thư điện tử công vụ", SystemType.INTERNAL),
    ("Trung tâm dữ liệu", SystemType.INFRASTRUCTURE),
    ("Hệ thống hội nghị truyền hình trực tuyến", SystemType.INFRASTRUCTURE),
    ("Cơ sở dữ liệu cán bộ, công chức, viên chức", SystemType.INTERNAL),
    ("Mạng nội bộ (LAN)", SystemType.INFRASTRUCTURE),
    ("Mạng truyền số liệu chuyên dùng", SystemType.INFRASTRUCTURE),
    ("Hệ thống báo cáo kinh tế - xã hội", SystemType.INTERNAL),
    ("Cơ sở dữ liệu chuyên ngành", SystemType.INTERNAL),
    ("Hệ thống kế toán, tài chính", SystemType.INTERNAL),
    ("Cổng dịch vụ công", SystemType.PUBLIC_SERVICE),
    ("Hệ thống camera giám sát", SystemType.INFRASTRUCTURE),
    ("Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", SystemType.INFRASTRUCTURE),
    ("Hệ thống quản lý hồ sơ sức khỏe", SystemType.ONLINE_SERVICE),
]


@dataclass(frozen=True)
class PublishedRow:
    group: str
    number: int
    name: str
    total: int
    approved: int
    fully_deployed: int


def read_appendix_ix(path=APPENDIX_IX_CSV):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            PublishedRow(
                group=row["group"],
                number=int(row["no"]),
                name=row["unit"].strip(),
                total=int(row["total_systems"]),
                approved=int(row["approved_systems"]),
                fully_deployed=int(row["fully_deployed_systems"]),
            )
            for row in csv.DictReader(handle)
        ]


def _province_codes():
    with open(PROVINCE_CODES_CSV, encoding="utf-8", newline="") as handle:
        return {
            unit_name_key(row["old_province"]): row["old_code"] for row in csv.DictReader(handle)
        }


def _unit_spec(row, province_codes):
    if row.group == ReportingGroup.PROVINCE:
        return f"P{province_codes[unit_name_key(row.name)]}", UnitKind.PROVINCE
    if row.name in MINISTRY_LEVEL_AGENCIES:
        kind = UnitKind.MINISTRY_LEVEL_AGENCY
    elif row.name in GOVERNMENT_AGENCIES:
        kind = UnitKind.GOVERNMENT_AGENCY
    else:
        kind = UnitKind.MINISTRY
    return f"B{row.number:02d}", kind


def _department_name(row):
    if row.group == ReportingGroup.PROVINCE:
        return f"Sở Thông tin và Truyền thông {row.name}"
    return f"Trung tâm Công nghệ thông tin - {row.name}"


class BaselineConflict(Exception):
    pass


@dataclass
class LoadResult:
    units_created: int
    systems_created: int


def load_appendix_ix(path=APPENDIX_IX_CSV, scale=1, seed=2024):
    """Load units and systems; a second run with the same arguments changes nothing."""
    rows = read_appendix_ix(path)
    with transaction.atomic():
        units, units_created = ensure_units(rows)
        systems = build_systems(rows, units, scale=scale, seed=seed)
        existing = set(
            InformationSystem.objects.filter(code__in=[s.code for s in systems]).values_list(
                "code", flat=True
            )
        )
        if existing and len(existing) != len(systems):
            raise BaselineConflict(
                f"{len(existing)} of the {len(systems)} baseline systems already exist: "
                "another scale or seed was loaded here; use a fresh database."
            )
        missing = [system for system in systems if system.code not in existing]
        # Each system's first history row is its state as loaded: its first change then shows
        # what changed, field by field (compliance/history.py).
        bulk_create_with_history(missing, InformationSystem, batch_size=2000)
        bump_data_version()  # a bulk create sends no signal
    if missing:
        _refresh_planner_statistics()
    return LoadResult(units_created=units_created, systems_created=len(missing))


def _refresh_planner_statistics():
    """ANALYZE the tables a bulk load filled, as PostgreSQL advises after one: until autovacuum
    gets to them, the planner takes the registry for a handful of rows and joins the units to
    every system row by row (the outstanding list took 40 ms instead of 5 at 1x)."""
    models = [InformationSystem, InformationSystem.history.model, Unit]
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def ensure_units(rows):
    """The reporting units and one IT department under each: {code: (unit, department)}."""
    province_codes = _province_codes()
    existing = {unit.code: unit for unit in Unit.objects.all()}
    created = 0
    units = {}
    for row in rows:
        code, kind = _unit_spec(row, province_codes)
        unit = existing.get(code)
        if unit is None:
            unit = Unit(code=code, name=row.name, kind=kind, group=row.group, sort_order=row.number)
            unit.save()
            created += 1
        department = existing.get(f"{code}-IT")
        if department is None:
            department = Unit(
                code=f"{code}-IT",
                name=_department_name(row),
                kind=UnitKind.DEPARTMENT,
                group=row.group,
                parent=unit,
            )
            department.save()
            created += 1
        units[row.number, row.group] = (unit, department)
    return units, created


def build_systems(rows, units, scale=1, seed=2024):
    """Unsaved InformationSystem objects for every published row, valid by the transition rules."""
    rng = random.Random(seed)
    levels = _level_pool(sum(row.total for row in rows) * scale, rng)
    systems = []
    for row in rows:
        unit, department = units[row.number, row.group]
        for index in range(row.total * scale):
            if index < row.fully_deployed * scale:
                stage = "full"
            elif index < row.approved * scale:
                stage = "approved"
            else:
                stage = "unfinished"
            level = levels.pop()
            owner = department if index % 3 == 2 else unit
            system = _make_system(rng, unit, owner, department, index, level, stage)
            validate_system(system, today=CUTOFF)
            systems.append(system)
    return systems


def _level_pool(count, rng):
    """`count` levels in the national proportions (largest remainder), shuffled."""
    whole = sum(NATIONAL_LEVEL_MIX.values())
    exact = {level: count * n / whole for level, n in NATIONAL_LEVEL_MIX.items()}
    counts = {level: int(value) for level, value in exact.items()}
    by_remainder = sorted(exact, key=lambda level: exact[level] - counts[level], reverse=True)
    for level in by_remainder[: count - sum(counts.values())]:
        counts[level] += 1
    pool = [level for level, n in counts.items() for _ in range(n)]
    rng.shuffle(pool)
    return pool


def _day_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _make_system(rng, unit, owner, department, index, level, stage):
    base_name, system_type = SYSTEM_NAMES[index % len(SYSTEM_NAMES)]
    round_number = index // len(SYSTEM_NAMES)
    name = f"{base_name} {unit.name}" + (f" ({round_number + 1})" if round_number else "")
    declared_on = _day_between(rng, EARLIEST, datetime.date(2023, 12, 31))
    system = InformationSystem(
        code=f"{unit.code}-{index + 1:05d}",
        name=name,
        name_ascii=fold_ascii(name),
        owner=owner,
        operator=department,
        system_type=system_type,
        handles_personal_data=level >= 2,
        handles_private_data=level >= 2,
        lifecycle=Lifecycle.OPERATING,
        declared_on=declared_on,
        go_live_on=declared_on,
        proposed_level=level,
    )
    if stage == "unfinished":
        _set_unfinished(rng, system, index)
    else:
        _set_approved(rng, system, unit, index, level, full=stage == "full")
    return system


def _set_unfinished(rng, system, index):
    status = UNFINISHED_STATUSES[index % len(UNFINISHED_STATUSES)]
    system.dossier_status = status
    system.deployment = Deployment.PARTIAL if index % 2 else Deployment.NOT_STARTED
    if status == DossierStatus.DRAFTING:
        return
    system.submitted_on = _day_between(rng, system.declared_on, datetime.date(2024, 5, 31))
    if status == DossierStatus.APPRAISED:
        system.appraised_on = _day_between(rng, system.submitted_on, CUTOFF)
    if status == DossierStatus.RETURNED:
        system.returned_on = _day_between(rng, system.submitted_on, CUTOFF)


def _set_approved(rng, system, unit, index, level, full):
    system.submitted_on = _day_between(rng, system.declared_on, datetime.date(2024, 3, 31))
    system.appraised_on = _day_between(
        rng, system.submitted_on, system.submitted_on + datetime.timedelta(days=30)
    )
    system.decision_date = min(
        _day_between(rng, system.appraised_on, system.appraised_on + datetime.timedelta(days=7)),
        CUTOFF,
    )
    system.dossier_status = DossierStatus.APPROVED
    system.approved_level = level
    system.decision_number = f"{index + 1}/QĐ-{unit.code}"
    system.decision_authority = APPROVER_BY_LEVEL[level]
    if full:
        system.deployment = Deployment.FULL
        system.deployed_full_on = _day_between(rng, system.decision_date, CUTOFF)
    else:
        system.deployment = Deployment.PARTIAL


DEMO_USERS = [
    # username, role, unit code (None: national)
    ("national", Role.NATIONAL_ADMIN, None),
    ("officer", Role.OFFICER, "B05"),  # Bộ Tài chính
    ("viewer", Role.VIEWER, "P38"),  # Thanh Hóa
    ("manager", Role.MANAGER, "P01"),  # Hà Nội
]


def create_demo_users():
    """One user per role; returns [(username, password, role, unit)] for the ones created now."""
    User = get_user_model()
    created = []
    for username, role, unit_code in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=username,
            password=password,
            email=f"{username}@example.invalid",
            is_staff=True,
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        created.append((username, password, Role(role).label, unit.name if unit else "—"))
    return created
