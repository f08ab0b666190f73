"""A write to a unit or a unit change makes the structures read so far in this request stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from registry.models import Unit

from .models import UnitChange
from .structure import forget_structures


@receiver([post_save, post_delete], sender=Unit)
@receiver([post_save, post_delete], sender=UnitChange)
@receiver(m2m_changed, sender=UnitChange.other_successors.through)
def _forget(**kwargs):
    forget_structures()
