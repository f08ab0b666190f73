"""Writing the inspection ledger. `InformationSystem.last_inspection_on` is derived from it:
every write here sets it to the system's latest inspection, in the same transaction.

The import keeps carrying a "last inspection" date: after an import writes, each date it
set becomes a ledger record of kind "imported" (unless the ledger already has one on that
day) and the system's date is derived again, so the field never says more than the ledger.
"""

from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from registry.audit.actions import record
from registry.data_version import bump_data_version
from registry.inspections import rules
from registry.inspections.models import Inspection, InspectionKind, InspectionResult
from registry.models import InformationSystem


@transaction.atomic
def record_inspection(inspection, *, actor, request=None, today=None):
    """Save a new or changed inspection of a system (loaded in scope by the caller)."""
    system = InformationSystem.objects.select_for_update().get(pk=inspection.system_id)
    previous = None
    if inspection.pk:
        previous = Inspection.objects.select_for_update().get(pk=inspection.pk)
    rules.validate_entry(
        inspection,
        subject_since=system.declared_on,
        subject_until=system.retired_on,
        by_import=previous is not None and previous.kind == InspectionKind.IMPORTED,
        today=today,
    )
    if previous is None:
        inspection.recorded_by = actor
    inspection._history_user = actor
    inspection.save()
    derive_last_inspection(system, actor=actor)
    record(
        "inspection.changed" if previous else "inspection.recorded",
        actor=actor,
        unit=system.owner,
        target=inspection,
        request=request,
        data={
            "system": system.code,
            "inspected_on": inspection.inspected_on.isoformat(),
            "kind": inspection.kind,
            "result": inspection.result,
        },
    )
    return inspection


@transaction.atomic
def record_assessment(assessment, *, actor, request=None, today=None):
    """Save a new or changed whole-organisation assessment (unit loaded in scope)."""
    is_new = assessment.pk is None
    rules.validate_entry(assessment, today=today)
    if is_new:
        assessment.recorded_by = actor
    assessment._history_user = actor
    assessment.save()
    record(
        "assessment.recorded" if is_new else "assessment.changed",
        actor=actor,
        unit=assessment.unit,
        target=assessment,
        request=request,
        data={"inspected_on": assessment.inspected_on.isoformat(), "result": assessment.result},
    )
    return assessment


def derive_last_inspection(system, *, actor=None):
    """Set the system's last inspection date to its latest ledger record (history kept)."""
    latest = system.inspections.aggregate(last=Max("inspected_on"))["last"]
    if system.last_inspection_on != latest:
        system.last_inspection_on = latest
        system._history_user = actor
        system.save(update_fields=["last_inspection_on", "updated_at"])


def mirror_imported_dates(systems, *, actor):
    """After an import wrote `systems`: their last-inspection dates into the ledger, then
    each system's date derived from the ledger again. Runs in the import's transaction."""
    ids = [system.pk for system in systems]
    have = set(
        Inspection.objects.filter(system_id__in=ids).values_list("system_id", "inspected_on")
    )
    missing = {
        (system.pk, system.last_inspection_on)
        for system in systems
        if system.last_inspection_on and (system.pk, system.last_inspection_on) not in have
    }
    records = [
        Inspection(
            system_id=system_id,
            inspected_on=day,
            kind=InspectionKind.IMPORTED,
            result=InspectionResult.NOT_STATED,
            recorded_by=actor,
        )
        for system_id, day in sorted(missing)
    ]
    bulk_create_with_history(records, Inspection, batch_size=500, default_user=actor)
    bump_data_version()  # a bulk create sends no signal (registry/data_version.py)
    latest = dict(
        Inspection.objects.filter(system_id__in=ids)
        .values("system_id")
        .annotate(last=Max("inspected_on"))
        .values_list("system_id", "last")
    )
    for system in systems:
        if system.last_inspection_on != latest.get(system.pk):
            derive_last_inspection(system, actor=actor)
    return len(missing)
