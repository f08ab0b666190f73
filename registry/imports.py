"""Bulk import of information systems from the spreadsheets units keep (CSV or XLSX).

Rows are matched to systems by code: new codes create, known codes update, identical rows are
left alone. Every created or changed row passes registry.transitions.validate_system, as in the
admin; unit names go through registry.names.UnitResolver; a user imports only for the units they
may edit. The real run is all or nothing: one invalid row and nothing is written. Every run is
recorded as an ImportBatch, and the history rows of the systems it wrote point to it.

Queries do not grow with the rows: units once, existing systems by code in chunks, writes and
history rows in bulk batches.
"""

import copy
import datetime
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registry import scope
from registry.audit.actions import record_import
from registry.data_version import bump_data_version
from registry.history_copy import copy_created_history
from registry.import_columns import COLUMNS, COLUMNS_BY_FIELD, REQUIRED_FIELDS, is_empty
from registry.import_files import (
    FileError,
    OversizeError,
    Upload,
    oversize_message,
    read_table,
    receive,
)
from registry.inspections.actions import mirror_imported_dates
from registry.models import ImportBatch, ImportStatus, InformationSystem, Unit
from registry.names import UnitResolver, fold_ascii
from registry.reorganisation.structure import Timeline
from registry.transitions import validate_system

logger = logging.getLogger(__name__)
WRITE_BATCH = 1000
LOOKUP_CHUNK = 2000  # codes per IN (...) query: well under every database's parameter limit
STORED_ERRORS = 1000
COLLECTED_ERRORS = 2000
MAX_RECORDED_SIZE = 2**31 - 1  # the size column's range; a larger file is refused anyway
IMPORTED_FIELDS = [column.field for column in COLUMNS if column.field != "code"]
FOREIGN_KEYS = {"owner", "operator", "responsible_officer"}
# Model fields a person does not see, reported under the column they come from.
SHOWN_AS = {"name_ascii": "name", NON_FIELD_ERRORS: ""}


@dataclass
class RowError:
    row: int | None
    column: str
    message: str


@dataclass
class RowChange:
    row: int
    code: str
    action: str  # "create" or "update"
    columns: list


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    checksum: str = ""
    status: str = ""
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    file_error: str = ""
    failed: bool = False  # an unexpected error, not the file's fault
    batch: ImportBatch | None = None

    @property
    def ok(self):
        return not self.file_error and not self.errors

    @property
    def error_rows(self):
        return len({error.row for error in self.errors})

    def all_notes(self):
        """What was read but not imported: columns and skipped rows."""
        notes = []
        if self.ignored_headers:
            notes.append(
                _("Columns not imported: %(columns)s.")
                % {"columns": ", ".join(self.ignored_headers)}
            )
        return notes + self.notes

    def summary(self):
        if self.file_error:
            return _("Nothing was written: %(error)s") % {"error": self.file_error}
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rows": self.error_rows,
        }
        if self.errors:
            text = ngettext(
                "%(rows)s row has errors",
                "%(rows)s rows have errors",
                self.error_rows,
            )
            return _("Nothing was written: %(problem)s; correct them and import again.") % {
                "problem": text % counts
            }
        if self.dry_run:
            return (
                _(
                    "Dry run: %(created)s to create, %(updated)s to update, %(unchanged)s "
                    "unchanged. Nothing was written yet."
                )
                % counts
            )
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % (
            counts
        )


def import_systems(handle, file_name, user=None, *, dry_run=False, unit=None, sheet="", today=None):
    """Import a file object; returns an ImportReport (the run is recorded as an ImportBatch).

    `user` None means the shell (every unit); `unit` limits the rows to that unit's subtree and
    is the owner of rows that name none.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    try:
        return _import(report, handle, user, unit, sheet, today)
    except Exception:
        # Whatever went wrong (a bug, the database, MemoryError), the run is recorded and the
        # person gets a sentence, not a traceback; the transaction has rolled back its writes.
        logger.exception("Import of %s failed", file_name)
        report.failed, report.created, report.updated = True, 0, 0
        report.file_error = _(
            "The import stopped on an unexpected error; nothing was written. Tell the "
            "administrators the import number."
        )
        return _record(report, user, unit, sheet, None)


def _import(report, handle, user, unit, sheet, today):
    try:
        upload = receive(handle, report.file_name)
    except OversizeError as error:
        report.checksum, report.file_error = error.upload.checksum, str(error)
        return _record(report, user, unit, sheet, error.upload, store=False)
    report.checksum = upload.checksum
    try:
        _check_unit(user, unit)
        required = [f for f in REQUIRED_FIELDS if not (f == "owner" and unit)]
        table = read_table(upload.data, sheet=sheet, required=required)
    except FileError as error:
        report.file_error = str(error)
        return _record(report, user, unit, sheet, upload)
    report.ignored_headers, report.notes = table.ignored_headers, table.notes
    try:
        return _run(table, report, user, unit, sheet, upload, today)
    except IntegrityError:
        # Someone created one of the codes between our read and our write.
        report.file_error = _("The registry changed during the import; import the file again.")
        report.created = report.updated = 0
        return _record(report, user, unit, sheet, upload)


def record_refused_upload(file_name, size, user):
    """An upload refused before its body was read (registry/uploads.py), recorded like a run."""
    report = ImportReport(file_name=file_name, dry_run=True)
    report.file_error = oversize_message(size, settings.IMPORT_MAX_BYTES)
    return _record(report, user, None, "", Upload(file_name, b"", "", size), store=False)


def confirm_import(dry_run_batch, user):
    """The real run of a dry run made in the admin, from the file it stored."""
    report = ImportReport(file_name=dry_run_batch.file_name, dry_run=False)
    # Claimed once: a double click, or a second tab, does not apply the same file twice.
    dry_runs = ImportBatch.objects.filter(pk=dry_run_batch.pk, status=ImportStatus.DRY_RUN)
    if not dry_runs.update(status=ImportStatus.CONFIRMED):
        report.file_error = _("This dry run has already been confirmed.")
        return _record(report, user, dry_run_batch.default_unit, dry_run_batch.sheet, None)
    try:
        with default_storage.open(dry_run_batch.source.name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        # The retention task deleted it (registry/retention.py), or it was never stored.
        report.file_error = _("The file of this dry run is no longer kept; upload it again.")
        return _record(report, user, dry_run_batch.default_unit, dry_run_batch.sheet, None)
    upload = receive(io.BytesIO(data), dry_run_batch.file_name)
    if upload.checksum != dry_run_batch.checksum:
        report.checksum = upload.checksum
        report.file_error = _("The stored file no longer matches the dry run; upload it again.")
        return _record(report, user, dry_run_batch.default_unit, dry_run_batch.sheet, None)
    return import_systems(
        io.BytesIO(data),
        dry_run_batch.file_name,
        user,
        unit=dry_run_batch.default_unit,
        sheet=dry_run_batch.sheet,
    )


def _check_unit(user, unit):
    if unit is None or user is None:
        return
    if not scope.editable_units(user).filter(pk=unit.pk).exists():
        raise FileError(_("You may not import systems for “%(unit)s”.") % {"unit": unit.name})


def _run(table, report, user, unit, sheet, upload, today):
    with transaction.atomic():
        plan = _Plan(table, user, unit, today or timezone.localdate(), lock=not report.dry_run)
        plan.fill(report)
        if report.ok and not report.dry_run:
            _record(report, user, unit, sheet, upload)
            plan.write(report.batch)
            mirror_imported_dates(plan.inspection_dates_written(), actor=user)
            return report
    return _record(report, user, unit, sheet, upload)


class _Plan:
    """What each row of a table would do, checked; then written in bulk."""

    def __init__(self, table, user, unit, today, lock):
        self.table, self.user, self.unit, self.today = table, user, unit, today
        # Only units the importer may see can be named, matched or suggested: another unit's
        # name or code reads exactly like an unknown one.
        visible = Unit.objects.all() if user is None else scope.visible_units(user)
        units = list(visible.select_related("parent"))
        # Names resolve in the unit structure of the import's date: a merged unit's name or
        # code leads to its successor, with a note in the report.
        self.timeline = Timeline()
        self.structure = self.timeline.at(self.today)
        self.visible_units = units
        self.resolvers = {}
        self.allowed = self._allowed_unit_ids(units)
        self.existing = self._existing(lock)
        self.errors, self.changes, self.creates, self.updates = [], [], [], []
        self.errors_cut = False
        self.notes = []
        self.unchanged = 0
        self.seen_codes = {}
        self.units_by_name = {}

    def _allowed_unit_ids(self, units):
        if self.user is None or scope.is_national_admin(self.user):
            allowed = {u.pk for u in units}
        else:
            allowed = set(scope.editable_units(self.user).values_list("pk", flat=True))
        if self.unit is not None:
            allowed &= {u.pk for u in units if u.path.startswith(self.unit.path)}
        return allowed

    def _existing(self, lock):
        codes = sorted(filter(None, (_code(values.get("code")) for _, values in self.table.rows)))
        queryset = InformationSystem.objects.all()
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        existing = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start : start + LOOKUP_CHUNK]
            existing.update((s.code, s) for s in queryset.filter(code__in=chunk))
        return existing

    def fill(self, report):
        for problem in self.table.problems:
            self._error(problem.row, problem.field, problem.message)
        rows_with_problems = {problem.row for problem in self.table.problems}
        for number, raw in self.table.rows:
            if number not in rows_with_problems:
                self._row(number, raw)
        report.total_rows = len(self.table.rows)
        report.errors = sorted(self.errors, key=lambda error: error.row or 0)
        report.notes = report.notes + self.notes
        report.changes = self.changes
        report.created, report.updated = len(self.creates), len(self.updates)
        report.unchanged = self.unchanged

    def _column(self, field_name):
        if field_name in self.table.headers:
            return self.table.headers[field_name]
        if field_name in COLUMNS_BY_FIELD:
            return COLUMNS_BY_FIELD[field_name].header
        if field_name in SHOWN_AS:
            return self._column(SHOWN_AS[field_name]) if SHOWN_AS[field_name] else ""
        if field_name in {f.name for f in InformationSystem._meta.fields}:
            return str(InformationSystem._meta.get_field(field_name).verbose_name)
        return ""

    def _error(self, row, field_name, message):
        # A file of nothing but errors must not cost a worker its memory: past the cap the
        # run is refused all the same, and the report says the list was cut.
        if len(self.errors) < COLLECTED_ERRORS:
            self.errors.append(RowError(row, self._column(field_name), str(message)))
        elif not self.errors_cut:
            self.errors_cut = True
            self.notes.append(
                _("Only the first %(n)s problems are listed; correct them and try again.")
                % {"n": COLLECTED_ERRORS}
            )

    def _row(self, number, raw):
        values = self._parse(number, raw)
        if values is None:
            return
        code = values.pop("code")
        existing = self.existing.get(code)
        # Another unit's system is, to this importer, a code that is not theirs: the row is
        # read as a new system, and only a complete one learns that the code is taken.
        taken = existing is not None and existing.owner_id not in self.allowed
        existing = None if taken else existing
        system = copy.copy(existing) if existing else InformationSystem(code=code)
        if not self._apply(number, system, values, existing):
            return
        changed = []  # a new system has nothing to compare with
        if existing is not None:
            changed = [f for f in IMPORTED_FIELDS if _value(system, f) != _value(existing, f)]
            if not changed:
                self.unchanged += 1
                return
        if not self._validate(number, system, existing):
            return
        if taken:
            self._error(
                number,
                "code",
                _("The code %(code)s is already used in the registry; choose another code.")
                % {"code": code},
            )
            return
        if existing is None:
            self.creates.append(system)
        else:
            if "owner" in changed:  # the past stays with the owner it had (registry/models.py)
                system.previous_owner_id, system.owner_since = existing.owner_id, self.today
                changed = [*changed, "previous_owner", "owner_since"]
            self.updates.append((system, changed))
        action = "update" if existing else "create"
        columns = [self._column(f) for f in changed] if existing else []
        self.changes.append(RowChange(number, code, action, columns))

    def _parse(self, number, raw):
        """{field: value} for the row's cells (EMPTY for empty cells), or None after errors."""
        values, failed = {}, False
        # Units last: a name is read in the structure of the row's declaration date.
        for field_name, cell in sorted(raw.items(), key=_units_last):
            if is_empty(cell):
                values[field_name] = EMPTY
                continue
            column = COLUMNS_BY_FIELD[field_name]
            try:
                value = column.parse(cell)
                if column.kind == "unit":
                    value = self._unit(value, _row_date(values, self.today))
                values[field_name] = value
            except (ValueError, ValidationError) as error:
                self._error(number, field_name, _message(error))
                failed = True
        code = values.get("code", EMPTY)
        if code is EMPTY and failed and "code" in raw:
            return None  # the code cell's own error says why
        if code is EMPTY:
            self._error(number, "code", _("The system code is empty."))
            return None
        if code in self.seen_codes:
            self._error(
                number,
                "code",
                _("The code %(code)s is also in row %(row)s.")
                % {"code": code, "row": self.seen_codes[code]},
            )
            return None
        self.seen_codes[code] = number
        return None if failed else values

    def _unit(self, name, day):
        """The unit `name` means on `day`: an old name leads to its successor for rows dated
        after the change (with a note in the report), and keeps its unit for earlier rows.
        A file names the same few units thousands of times: each spelling is resolved once
        per span of dates between two unit changes."""
        structure = self.timeline.at(day)
        key = (name, id(structure))
        if key not in self.units_by_name:
            resolver = self.resolvers.get(id(structure))
            if resolver is None:
                resolver = UnitResolver(self.visible_units, structure=structure)
                self.resolvers[id(structure)] = resolver
            try:
                self.units_by_name[key], note = resolver.resolve_with_note(name)
            except ValidationError as error:
                self.units_by_name[key] = error
            else:
                if note and note not in self.notes:
                    self.notes.append(note)
        found = self.units_by_name[key]
        if isinstance(found, ValidationError):
            raise found
        return found

    def _keep_merged_units(self, system, existing):
        """A row naming the successor of the system's merged owner (or operator), as an export
        of it does, changes nothing: the system keeps the unit it had, whose past it is."""
        for field_name in ("owner", "operator"):
            before, after = _value(existing, field_name), _value(system, field_name)
            if before and after and before != after:
                placement = self.structure.placement
                if placement(before) == placement(after):
                    setattr(system, f"{field_name}_id", before)

    def _apply(self, number, system, values, existing):
        """Set the row's values on the system; False after a scope or required-value error."""
        for field_name, value in values.items():
            if value is EMPTY:
                value = _empty_value(field_name)
                if value is KEEP:
                    continue  # a column that must have a value: keep it (or the default)
            setattr(system, field_name, value)
        self._keep_merged_units(system, existing)
        if system.owner_id is None and self.unit is not None:
            system.owner = self.unit
        ok = True
        for field_name in ("owner", "name"):
            if not _value(system, field_name):
                self._error(number, field_name, _("This column needs a value."))
                ok = False
        if not ok:
            return False
        for field_name in ("owner", "operator"):
            unit_id = _value(system, field_name)
            if unit_id and unit_id != _value(existing, field_name) and unit_id not in self.allowed:
                self._error(
                    number,
                    field_name,
                    _("“%(unit)s” is not one of the units you may import for.")
                    % {"unit": getattr(system, field_name).name},
                )
                ok = False
        system.declared_on = system.declared_on or self.today
        system.name_ascii = fold_ascii(system.name)
        return ok

    def _validate(self, number, system, existing):
        errors = {}
        try:
            validate_system(system, existing, self.today)
        except ValidationError as error:
            errors = error.message_dict
        try:
            system.clean_fields(exclude=FOREIGN_KEYS | set(errors))
        except ValidationError as error:
            errors.update(error.message_dict)
        if "name" in errors:
            errors.pop("name_ascii", None)  # the same error, of the name's unaccented copy
        for field_name, messages in errors.items():
            for message in messages:
                self._error(number, field_name, message)
        return not errors

    def write(self, batch):
        now = timezone.now()
        history = {
            "history_date": now,
            "history_user": self.user,
            "history_change_reason": f"Import #{batch.pk}: {batch.file_name}"[:100],
            "import_batch": batch,
            "api_token": None,
        }
        bump_data_version()  # bulk writes send no signal
        if self.creates:
            _create_with_history(self.creates, history)
        if self.updates:
            fields = {"name_ascii", "updated_at"}
            for system, changed in self.updates:
                system.updated_at = now
                fields.update(changed)
            systems = [system for system, _changed in self.updates]
            options = _simple_history_options(history)
            bulk_update_with_history(systems, InformationSystem, sorted(fields), **options)

    def inspection_dates_written(self):
        """Systems whose last-inspection date this import set or cleared (the ledger's input)."""
        created = [system for system in self.creates if system.last_inspection_on]
        changed = [s for s, fields in self.updates if "last_inspection_on" in fields]
        return created + changed


def _create_with_history(systems, history):
    if not connection.features.can_return_rows_from_bulk_insert:
        # SQLite before 3.35 gives back no ids: simple-history finds the new rows again.
        options = _simple_history_options(history)
        bulk_create_with_history(systems, InformationSystem, **options)
        return
    InformationSystem.objects.bulk_create(systems, batch_size=WRITE_BATCH)
    copy_created_history(InformationSystem, systems, history)


def _simple_history_options(history):
    """The same history values as simple-history's bulk functions take them."""
    return {
        "batch_size": WRITE_BATCH,
        "default_user": history["history_user"],
        "default_change_reason": history["history_change_reason"],
        "default_date": history["history_date"],
        "custom_historical_attrs": {"import_batch": history["import_batch"]},
    }


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


EMPTY = _Marker("EMPTY")  # an empty cell
KEEP = _Marker("KEEP")  # an empty cell in a column that must have a value


def _empty_value(field_name):
    model_field = InformationSystem._meta.get_field(field_name)
    if model_field.null:
        return None
    if model_field.blank:
        return ""
    return KEEP


def _units_last(item):
    return COLUMNS_BY_FIELD[item[0]].kind == "unit"


def _row_date(values, today):
    day = values.get("declared_on")
    return day if isinstance(day, datetime.date) else today


def _value(system, field_name):
    if system is None:
        return None
    return getattr(system, f"{field_name}_id" if field_name in FOREIGN_KEYS else field_name)


def _code(raw):
    """The code of a cell, or None (an invalid code is reported when its row is read)."""
    if is_empty(raw):
        return None
    try:
        return COLUMNS_BY_FIELD["code"].parse(raw)
    except (ValueError, ValidationError):
        return None


def _message(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _record(report, user, unit, sheet, upload, store=True):
    """Save the ImportBatch that records this run; returns the report."""
    if report.failed:
        status = ImportStatus.FAILED
    elif report.file_error or report.errors:
        status = ImportStatus.REJECTED
    else:
        status = ImportStatus.DRY_RUN if report.dry_run else ImportStatus.APPLIED
    batch = ImportBatch.objects.create(
        user=user,
        file_name=_printable(report.file_name)[:255],
        checksum=report.checksum,
        size=min(upload.size if upload else 0, MAX_RECORDED_SIZE),
        source=_store(upload) if upload and store else "",
        sheet=_printable(sheet or "")[:100],
        default_unit=unit,
        status=status,
        total_rows=report.total_rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        error_rows=report.error_rows,
        message="\n".join(
            _printable(str(line)) for line in [report.summary(), *report.all_notes()]
        ),
        errors=[_printable_error(error) for error in report.errors[:STORED_ERRORS]],
    )
    report.status, report.batch = status, batch
    record_import(batch)
    return report


def _printable_error(error):
    """A row error as stored: header text from the file may hold anything, a NUL included."""
    return {
        key: _printable(value) if isinstance(value, str) else value
        for key, value in error.__dict__.items()
    }


def _printable(text):
    # A name from a request or a command line is recorded even when it holds control
    # characters (PostgreSQL refuses NUL): the record of a refused run must not crash.
    return "".join(char if char.isprintable() else "?" for char in text)


def _store(upload):
    """Keep the file as received (for the admin's confirm step and for audit), once per content."""
    name = f"imports/{upload.checksum}{upload.extension}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(upload.data))
    return name
