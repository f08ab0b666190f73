"""The audit trail: who did what, when, from which address. Append-only.

Nothing in the product changes or deletes an event: `save()` refuses an existing row,
`delete()` refuses, the queryset's `update()` and `delete()` refuse, the admin offers no
add, change or delete, and on PostgreSQL a trigger (migration 0002) rejects UPDATE and
DELETE. The only ways a row changes are the retention purge (`actions.purge_expired`,
which sets `audit.purge` for its transaction) and a deleted user's or unit's foreign key
becoming NULL (the names stay in `actor_name` and `data`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted; retention purges them.")


class AuditEvent(models.Model):
    at = models.DateTimeField(
        pgettext_lazy("audit", "time"), default=timezone.now, db_index=True, editable=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("audit", "user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(pgettext_lazy("audit", "user name"), max_length=150, blank=True)
    action = models.CharField(pgettext_lazy("audit", "action"), max_length=64, db_index=True)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=pgettext_lazy("audit", "unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(
        pgettext_lazy("audit", "object type"), max_length=100, blank=True
    )
    target_id = models.CharField(pgettext_lazy("audit", "object id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(pgettext_lazy("audit", "address"), null=True, blank=True)
    data = models.JSONField(pgettext_lazy("audit", "details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["unit", "at"], name="audit_unit_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted; retention purges them.")
