"""Re-determination rounds of an approved system's level (Decree 85/2016 Art. 18).

The system's own dossier fields (registry.models.InformationSystem) are its first round and
stay as they were decided: the approval, its date and every step date keep answering for the
past. Each later round is a `DossierRound`, with the same statuses, authorities and time
limits as the first (registry/transitions.py). Until a round is decided the previous approval
stays in force; from its decision date the round's approved level is the system's level
(compliance.selectors.level_as_of). Rounds are never deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Authority, DossierStatus
from registry.models import LEVEL_VALIDATORS, InformationSystem


class DossierRound(models.Model):
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        on_delete=models.PROTECT,
        related_name="dossier_rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"), editable=False)
    reason = models.TextField(_("what changed in the system"))
    started_on = models.DateField(_("started on"))
    proposed_level = models.PositiveSmallIntegerField(
        _("proposed level"), validators=LEVEL_VALIDATORS
    )
    dossier_status = models.CharField(
        _("dossier status"),
        max_length=16,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFTING,
    )
    submitted_on = models.DateField(_("sent for appraisal on"), null=True, blank=True)
    appraised_on = models.DateField(_("appraised on"), null=True, blank=True)
    returned_on = models.DateField(_("returned for revision on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_authority = models.CharField(
        _("signing authority"), max_length=32, choices=Authority.choices, blank=True
    )
    approved_level = models.PositiveSmallIntegerField(
        _("approved level"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("re-determination round")
        verbose_name_plural = _("re-determination rounds")
        ordering = ["system", "number"]
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="one_round_number"),
            # At most one round in progress per system: a second waits for the first's decision.
            models.UniqueConstraint(
                fields=["system"],
                condition=~models.Q(dossier_status="approved"),
                name="one_open_round",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_level__gte=1, proposed_level__lte=5),
                name="round_proposed_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_level__isnull=True)
                | models.Q(approved_level__gte=1, approved_level__lte=5),
                name="round_approved_level_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["system", "decision_date"])]

    def __str__(self):
        return f"{self.system.code} · {self.number}"

    @property
    def is_open(self):
        return self.dossier_status != DossierStatus.APPROVED
