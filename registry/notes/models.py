"""Dated notes on a system: what a spreadsheet's comment column held ("dossier resent
12/03", "waiting for the vendor's plan"). A note is kept as written: it is never edited or
deleted, and simple-history keeps who wrote it and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import InformationSystem

TEXT_MAX = 2000


class SystemNote(models.Model):
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        on_delete=models.PROTECT,
        related_name="notes",
    )
    noted_on = models.DateField(_("date"), help_text=_("The day the note is about."))
    text = models.TextField(_("note"), max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("system note")
        verbose_name_plural = _("system notes")
        ordering = ["-noted_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["system", "-noted_on"], name="notes_by_system_date")]

    def __str__(self):
        return f"{self.system.code} {self.noted_on:%d/%m/%Y}"
