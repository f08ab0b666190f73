"""The API token that wrote a system's change, on its history row (as the import batch is)."""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


@receiver(pre_create_historical_record, dispatch_uid="api.history_token")
def _token_on_history(sender, instance, history_instance, **kwargs):
    token = getattr(instance, "_history_api_token", None)
    if token is not None and hasattr(history_instance, "api_token"):
        history_instance.api_token = token
