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

from registry.choices import DossierStatus
from registry.models import LEVEL_VALIDATORS, InformationSystem


def _as_on_the_system(name):
    """A new field made like the system's own `name` field (label, type, choices, checks)."""
    return InformationSystem._meta.get_field(name).clone()


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
    # A round's dossier is the first round's, field for field (registry.models).
    dossier_status = _as_on_the_system("dossier_status")
    submitted_on = _as_on_the_system("submitted_on")
    appraised_on = _as_on_the_system("appraised_on")
    returned_on = _as_on_the_system("returned_on")
    decision_number = _as_on_the_system("decision_number")
    decision_date = _as_on_the_system("decision_date")
    decision_authority = _as_on_the_system("decision_authority")
    approved_level = _as_on_the_system("approved_level")
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
