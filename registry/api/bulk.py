"""The bulk endpoint: the rows of an import file sent as JSON, run by the file import itself.

The rows become a CSV file (header first) handed to registry/imports.py, so the columns, the
words and dates accepted, the row errors, the all-or-nothing write, the dry run and the
ImportBatch that records the run (and that the history rows point to) are the import's own.
Row numbers are the file's: the header is row 1, so rows[0] is row 2; each row error also
gives `index`, the row's position in `rows`.

An Idempotency-Key makes a retried request harmless: the first answer is stored with the key,
the user and a hash of the request, and a retry gets that answer back, changing nothing.
"""

import csv
import datetime
import hashlib
import io
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.api.errors import problem
from registry.api.models import IdempotentRequest
from registry.import_columns import FALSE_WORDS, TRUE_WORDS
from registry.imports import import_systems

FIRST_DATA_ROW = 2  # row 1 is the header
IN_PROGRESS = 0  # status_code of a key whose request is still running
MAX_KEY_LENGTH = 255


def rows_to_csv(rows):
    """The rows ([{header: cell}]) as the bytes of a UTF-8 CSV file, header first."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(row.get(header)) for header in headers])
    return out.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_WORDS[0] if value else FALSE_WORDS[0]
    return str(value)


def run(rows, *, user, unit, dry_run, token=None):
    """Import the rows; (HTTP status, body): 200 with the report, or 400 when nothing was
    written because of the file or its rows."""
    name = f"api-{token.prefix if token else 'session'}.csv"
    report = import_systems(io.BytesIO(rows_to_csv(rows)), name, user, dry_run=dry_run, unit=unit)
    body = report_body(report)
    if report.ok:
        return 200, body
    return 400, rejection(body)


def rejection(body):
    """A refused run in the API's problem format; the full report goes along."""
    problem_body = problem(400, code="import_rejected")
    problem_body["detail"] = body["summary"]
    problem_body["errors"] = [
        {
            "field": _row_path(error),
            "code": "invalid_row",
            "message": error["message"],
            "row": error["row"],
        }
        for error in body["errors"]
    ]
    problem_body["report"] = body
    return problem_body


def _row_path(error):
    if error["index"] is None:
        return "rows"
    return f"rows[{error['index']}]" + (f".{error['column']}" if error["column"] else "")


def report_body(report):
    errors = [
        {
            "row": error.row,
            "index": None if error.row is None else error.row - FIRST_DATA_ROW,
            "column": error.column,
            "message": error.message,
        }
        for error in report.errors
    ]
    return {
        "dry_run": report.dry_run,
        "status": report.status,
        "import_batch": report.batch.pk if report.batch else None,
        "summary": report.summary(),
        "total_rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": errors,
        "changes": [
            {
                "row": change.row,
                "index": change.row - FIRST_DATA_ROW,
                "code": change.code,
                "action": change.action,
                "columns": change.columns,
            }
            for change in report.changes
        ],
        "notes": [str(note) for note in report.all_notes()],
    }


# Idempotency keys ----------------------------------------------------------------------------


def request_hash(payload):
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str).encode()
    ).hexdigest()


def valid_key(key):
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


class KeyReused(Exception):
    """The key was used before for a different request."""


class KeyInProgress(Exception):
    """The first request with this key is still running."""


def claim(user, key, digest, now=None):
    """The stored answer for this key (a retry), or None after claiming the key for this run.

    The claim is a row inserted before the run (the unique constraint lets one request in);
    a claim older than API_IDEMPOTENCY_LEASE_SECONDS is a crashed run's (the import is atomic,
    so it wrote nothing) and is taken over; an answer older than API_IDEMPOTENCY_DAYS is
    forgotten."""
    now = now or timezone.now()
    forgotten = now - datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS)
    IdempotentRequest.objects.filter(user=user, created_at__lt=forgotten).delete()
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None and _expired(stored, now):
        IdempotentRequest.objects.filter(pk=stored.pk, created_at=stored.created_at).delete()
        stored = None
    if stored is None:
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(
                    user=user, key=key, request_hash=digest, status_code=IN_PROGRESS, response={}
                )
            return None
        except IntegrityError:
            stored = IdempotentRequest.objects.get(user=user, key=key)
    if stored.request_hash != digest:
        raise KeyReused
    if stored.status_code == IN_PROGRESS:
        raise KeyInProgress
    return stored


def _expired(stored, now):
    """A claim whose run died with its worker (the import is atomic: it wrote nothing)."""
    lease = datetime.timedelta(seconds=settings.API_IDEMPOTENCY_LEASE_SECONDS)
    return stored.status_code == IN_PROGRESS and stored.created_at < now - lease


def keep(user, key, status, body):
    IdempotentRequest.objects.filter(user=user, key=key, status_code=IN_PROGRESS).update(
        status_code=status, response=body
    )


def release(user, key):
    """The run failed before it answered: a retry runs it again."""
    IdempotentRequest.objects.filter(user=user, key=key, status_code=IN_PROGRESS).delete()
