"""Unit changes from CSV files: the documented format, and the two tables of the 2025
reorganisation bundled with the product (docs/unit_changes.md describes all three).

Every row becomes a `ChangeSpec`; a row already recorded (the same unit, kind and date) is
skipped, so reading a file twice changes nothing. A successor named but not found is a new
unit, created with the next free code of its group (B.. for ministries) and established on
the change's date.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import ReportingGroup, Unit, UnitKind
from registry.names import unit_name_key
from registry.text import clean_text

from . import changes
from .models import ChangeKind, UnitChange
from .structure import Structure

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED = (DATA_DIR / "ministry_mergers_2025.csv", DATA_DIR / "province_mergers_2025.csv")
PROVINCES_EFFECTIVE = datetime.date(2025, 7, 1)
PROVINCES_BASIS = "Nghị quyết 202/2025/QH15"
GENERAL_COLUMNS = ("kind", "unit", "successor", "new_name", "effective_on", "legal_basis")
NEW_UNIT_PREFIX = {ReportingGroup.MINISTRY: "B", ReportingGroup.PROVINCE: "P"}


class FileError(Exception):
    """A file that cannot be read as unit changes; nothing of it is recorded."""


@dataclass
class Outcome:
    recorded: list = field(default_factory=list)
    skipped: int = 0
    units_created: list = field(default_factory=list)
    split_functions: list = field(default_factory=list)  # (change spec, other unit names)


@dataclass
class Row:
    """One change as read, with names or codes not yet looked up."""

    line: int
    kind: str
    unit: str
    successor: str = ""
    new_name: str = ""
    effective_on: datetime.date = None
    legal_basis: str = ""
    note: str = ""
    other_successors: tuple = ()
    new_unit_kind: str = UnitKind.MINISTRY
    new_parent: str = ""


def read_rows(path):
    """Rows of one file, by its header: the general format or one of the bundled tables."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        header = set(reader.fieldnames or ())
        lines = [(number, _cleaned(row)) for number, row in enumerate(reader, start=2)]
    except (UnicodeDecodeError, csv.Error) as error:
        raise FileError(
            _("%(file)s: not a UTF-8 CSV file (%(error)s)")
            % {"file": Path(path).name, "error": error}
        ) from None
    if {"old_province", "old_code", "new_province", "new_code"} <= header:
        return _province_rows(lines)
    if {"old_unit", "new_unit", "effective"} <= header:
        return [_ministry_row(number, row) for number, row in lines]
    if set(GENERAL_COLUMNS) <= header:
        return [_general_row(number, row) for number, row in lines]
    raise FileError(
        _("%(file)s: unknown columns; expected %(columns)s")
        % {"file": Path(path).name, "columns": ", ".join(GENERAL_COLUMNS)}
    )


def _cleaned(row):
    try:
        return {key: clean_text(_text(value)) for key, value in row.items() if key}
    except ValidationError as error:  # a control character, say: the whole file is refused
        raise FileError(" ".join(error.messages)) from None


def _text(value):
    # A row longer than the header puts its extra cells in a list under the key None.
    return value if isinstance(value, str) else ""


def _date(text, line):
    try:
        day = datetime.date.fromisoformat(text)
        changes.validate_date(day)
        return day
    except (ValueError, ValidationError):
        raise FileError(
            _("line %(line)s: not a date (YYYY-MM-DD): %(text)r") % {"line": line, "text": text}
        ) from None


def _general_row(line, row):
    kind = row["kind"].lower()
    if kind not in ChangeKind.values:
        raise FileError(_("line %(line)s: unknown kind %(kind)r") % {"line": line, "kind": kind})
    others = tuple(name for name in row.get("other_successors", "").split(";") if name.strip())
    return Row(
        line=line,
        kind=kind,
        unit=row["unit"],
        successor=row["successor"],
        new_name=row["new_name"],
        effective_on=_date(row["effective_on"], line),
        legal_basis=row["legal_basis"],
        note=row.get("note", ""),
        other_successors=others,
        new_parent=row.get("new_parent", ""),
    )


def _ministry_row(line, row):
    note = row.get("note", "")
    basis, _sep, remark = note.partition(";")
    kind = ChangeKind.MERGE
    if "dissolved" in note:
        kind = ChangeKind.DISSOLVE
        basis = remark.split("(")[-1].rstrip(")") if "(" in note else basis
    others = ()
    if "moved to" in remark:
        kind = ChangeKind.SPLIT
        others = tuple(_split_names(remark.split("moved to", 1)[1]))
    return Row(
        line=line,
        kind=kind,
        unit=row["old_unit"],
        successor=row["new_unit"],
        effective_on=_date(row["effective"], line),
        legal_basis=_basis(basis, note),
        note=remark.strip(),
        other_successors=others,
    )


def _basis(basis, note):
    basis = basis.strip()
    if "(" in note and ")" in note:
        basis = note[note.index("(") + 1 : note.index(")")]
    return basis.replace("Resolution", "Nghị quyết")


def _split_names(text):
    return [part.strip() for part in text.replace(" and ", ",").split(",") if part.strip()]


def _province_rows(lines):
    """Each new province continues the unit of its seat (the old province with its code);
    the others merge into it, and the seat is renamed when the new name differs."""
    rows = []
    for number, row in lines:
        seat_code, new_name = f"P{row['new_code']}", row["new_province"]
        if row["old_code"] == row["new_code"]:
            if row["old_province"] != new_name:
                rows.append(
                    Row(
                        number,
                        ChangeKind.RENAME,
                        seat_code,
                        new_name=new_name,
                        effective_on=PROVINCES_EFFECTIVE,
                        legal_basis=PROVINCES_BASIS,
                    )
                )
            continue
        rows.append(
            Row(
                number,
                ChangeKind.MERGE,
                f"P{row['old_code']}",
                successor=seat_code,
                effective_on=PROVINCES_EFFECTIVE,
                legal_basis=PROVINCES_BASIS,
                new_unit_kind=UnitKind.PROVINCE,
            )
        )
    return rows


@transaction.atomic
def record_files(paths, *, actor=None, dry_run=False, today=None):
    """Record every change of the files, oldest first, in one transaction (all or nothing).

    With `dry_run`, everything is checked and then rolled back."""
    rows = sorted((row for path in paths for row in read_rows(path)), key=_row_order)
    outcome = Outcome()
    for row in rows:
        _record_row(row, outcome, actor, today)
    if dry_run:
        transaction.set_rollback(True)
    return outcome


def _row_order(row):
    # On one date: renames first (a seat takes its new name), then mergers into it.
    return (row.effective_on, row.kind != ChangeKind.RENAME, row.line)


def _record_row(row, outcome, actor, today):
    before = Structure.load(row.effective_on - datetime.timedelta(days=1))
    unit = _find(row.unit, before, row.line)
    if (
        UnitChange.objects.in_force()
        .filter(unit=unit, kind=row.kind, effective_on=row.effective_on)
        .exists()
    ):
        outcome.skipped += 1
        return
    successor = None
    if row.successor:
        successor = _find_or_create(row, unit, before, outcome)
    spec = changes.ChangeSpec(
        kind=row.kind,
        unit=unit,
        effective_on=row.effective_on,
        legal_basis=row.legal_basis,
        successor=successor,
        other_successors=[_find(name, before, row.line) for name in row.other_successors],
        new_parent=_find(row.new_parent, before, row.line) if row.new_parent else None,
        new_name=row.new_name,
        note=row.note,
    )
    try:
        outcome.recorded.append(changes.record_change(spec, actor=actor, today=today))
    except ValidationError as error:
        raise FileError(
            _("line %(line)s: %(error)s") % {"line": row.line, "error": "; ".join(error.messages)}
        ) from None
    if spec.other_successors:
        outcome.split_functions.append(spec)


def _find(name_or_code, structure, line):
    """The unit with this code, or the one unit of that name on the structure's date."""
    unit = Unit.objects.filter(code=name_or_code.upper()).first()
    if unit is not None:
        return unit
    key = unit_name_key(name_or_code)
    found = [
        structure.units[pk]
        for pk in structure.units
        if structure.exists(pk) and unit_name_key(structure.name(pk)) == key
    ]
    if len(found) != 1:
        raise FileError(
            _("line %(line)s: no single unit named %(name)r") % {"line": line, "name": name_or_code}
        )
    return found[0]


def _find_or_create(row, unit, before, outcome):
    on_the_day = Structure.load(row.effective_on)
    key = unit_name_key(row.successor)
    for pk in on_the_day.units:
        if on_the_day.exists(pk) and unit_name_key(on_the_day.name(pk)) == key:
            return on_the_day.units[pk]
    if Unit.objects.filter(code=row.successor.upper()).exists():
        return _find(row.successor, on_the_day, row.line)
    created = Unit(
        code=next_free_code(unit.group),
        name=row.successor,
        kind=unit.kind if unit.parent_id is None else row.new_unit_kind,
        group=unit.group,
        sort_order=unit.sort_order,
        established_on=row.effective_on,
    )
    created.save()
    outcome.units_created.append(created)
    return created


def next_free_code(group):
    """The next unused code of a group: B29 after B01..B28."""
    prefix = NEW_UNIT_PREFIX[group]
    numbers = [
        int(code[len(prefix) :])
        for code in Unit.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"
