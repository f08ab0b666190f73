"""Campaigns, time limits and the delivery ledger, for national administrators only.

A new decree is a new campaign or a changed time limit here, not a code change.
Failed deliveries are listed with the mail server's answer and can be sent again.
Deliveries of unknown outcome (a worker stopped while handing them to the mail
server) have their own list, with the Message-ID to look up in the server's log:
sending one again is a deliberate act, and keeps the same Message-ID.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.audit.actions import record
from registry.scope import is_national_admin

from .dispatch import dispatch
from .messages import message_id
from .models import (
    ALL_LEVELS,
    CampaignStep,
    DeadlineCampaign,
    Delivery,
    DossierTimeLimit,
    RecipientPreference,
    Status,
    UnknownOutcomeDelivery,
)


class NationalAdminOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_national_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_add_permission(self, request):
        return is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user)


class CampaignForm(forms.ModelForm):
    levels = forms.TypedMultipleChoiceField(
        label=_("levels"),
        choices=[(level, str(level)) for level in ALL_LEVELS],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DeadlineCampaign
        fields = [
            "name",
            "legal_basis",
            "issued_on",
            "requirement",
            "due_date",
            "units",
            "levels",
            "reminder_days",
            "overdue_interval_days",
            "escalate_when_overdue",
            "is_active",
        ]


class CampaignStepInline(admin.TabularInline):
    model = CampaignStep
    extra = 0
    can_delete = False
    fields = ("offset", "step_date", "outcome", "run_date", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DeadlineCampaign)
class DeadlineCampaignAdmin(NationalAdminOnly):
    form = CampaignForm
    list_display = (
        "name",
        "requirement",
        "due_date",
        "legal_basis",
        "issued_on",
        "reminder_days",
        "is_active",
    )
    list_filter = ("is_active", "requirement")
    search_fields = ("name", "legal_basis")
    filter_horizontal = ("units",)
    inlines = [CampaignStepInline]


@admin.register(DossierTimeLimit)
class DossierTimeLimitAdmin(NationalAdminOnly):
    list_display = ("stage", "level", "days", "working_days", "legal_basis")
    list_editable = ("days", "working_days")
    list_filter = ("stage",)


@admin.register(RecipientPreference)
class RecipientPreferenceAdmin(NationalAdminOnly):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


def send_again(admin_view, request, queryset, statuses):
    """Back to pending (a fresh retry window) and queued once the request commits; only
    rows in `statuses` are touched, so a row sent meanwhile stays sent."""
    if not is_national_admin(request.user):
        return
    ids = list(queryset.filter(status__in=statuses).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status__in=statuses).update(
        status=Status.PENDING,
        attempts=0,
        claim_token=None,
        claimed_at=None,
        first_attempt_at=None,
        next_attempt_at=None,
        reason="",
    )
    record("delivery.resent", request=request, data={"deliveries": ids, "statuses": statuses})
    # Queue after the request's transaction commits, or a worker could find them unchanged.
    transaction.on_commit(lambda: dispatch(ids))
    admin_view.message_user(
        request,
        ngettext("%(n)d e-mail will be sent again.", "%(n)d e-mails will be sent again.", len(ids))
        % {"n": len(ids)},
        messages.SUCCESS,
    )


MESSAGE_ID = re.compile(r"reminder-(\d{1,18})@")  # notifications.messages.message_id


class LedgerAdmin(NationalAdminOnly):
    """The ledger is written by the planner and the workers only."""

    list_select_related = ("campaign", "unit", "recipient")
    search_fields = ("recipient__email", "recipient__username", "unit__name", "unit__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(LedgerAdmin):
    list_display = (
        "planned_for",
        "kind",
        "campaign",
        "step",
        "subject",
        "unit",
        "recipient",
        "role",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "reason",
    )
    list_filter = ("status", "kind", "role", "campaign", "planned_for")
    date_hierarchy = "planned_for"
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed or skipped e-mails again"))
    def send_again(self, request, queryset):
        send_again(self, request, queryset, [Status.FAILED, Status.SKIPPED])


@admin.register(UnknownOutcomeDelivery)
class UnknownOutcomeDeliveryAdmin(LedgerAdmin):
    list_display = (
        "claimed_at",
        "message_id",
        "recipient_email",
        "kind",
        "unit",
        "planned_for",
        "attempts",
        "reason",
    )
    list_filter = ("kind", "planned_for")
    actions = ["mark_delivered", "send_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Status.UNKNOWN)

    def get_search_results(self, request, queryset, search_term):
        """A Message-ID pasted from the mail server's log finds its delivery."""
        match = MESSAGE_ID.search(search_term)
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("Message-ID"))
    def message_id(self, obj):
        return message_id(obj)

    @admin.display(description=_("to"), ordering="recipient__email")
    def recipient_email(self, obj):
        return obj.recipient.email

    @admin.action(description=_("The mail server's log shows them accepted: mark as sent"))
    def mark_delivered(self, request, queryset):
        if not is_national_admin(request.user):
            return
        count = queryset.filter(status=Status.UNKNOWN).update(
            status=Status.SENT, sent_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(n)d e-mail marked as sent.", "%(n)d e-mails marked as sent.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("The mail server's log does not show them: send again, same Message-ID")
    )
    def send_again(self, request, queryset):
        send_again(self, request, queryset, [Status.UNKNOWN])
