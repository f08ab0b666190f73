"""How long the files of imports are kept.

The file of an applied import is kept: it is the evidence of what changed the registry. The
file of a dry run or of a refused or failed run is only needed for a while (to confirm the dry
run, to look at what was refused), so it is deleted IMPORT_FILE_RETENTION_DAYS after the run.
Files are stored once per content (imports/<checksum>.<ext>), so a file is deleted only when no
applied import and no recent run still points to it.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from registry.models import ImportBatch, ImportStatus


def purge_import_files(now=None):
    """Delete the expired files; returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    expired = ImportBatch.objects.exclude(source="").exclude(status=ImportStatus.APPLIED)
    expired = expired.filter(created_at__lt=cutoff)
    names = set(expired.values_list("source", flat=True))
    sharing = ImportBatch.objects.filter(source__in=names)
    still_needed = sharing.filter(status=ImportStatus.APPLIED) | sharing.filter(
        created_at__gte=cutoff
    )
    keep = set(still_needed.values_list("source", flat=True))
    deleted = 0
    for name in sorted(names - keep):
        if default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    expired.exclude(source__in=keep).update(source="")
    return deleted
