"""What the API reads and writes. Units are named by their code; every text goes through
registry/text.py's cleaning; the rules of a system's record stay in registry/transitions.py
(run by actions.save_system), so the serializers only read the shape of the request."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.api.actions import SYSTEM_FIELDS
from registry.models import InformationSystem, Unit
from registry.reorganisation.structure import Structure
from registry.text import clean_text

MAX_LEVEL = 5


class CleanCharField(serializers.CharField):
    """A one-line text: NFC, trimmed, and refused with a message if it holds a control
    or invisible character (a NUL cannot even be stored)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return clean_text(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code="forbidden_character") from None


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    reporting_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    depth = serializers.SerializerMethodField()
    ended_on = serializers.SerializerMethodField()
    successor = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "group",
            "parent",
            "reporting_unit",
            "depth",
            "established_on",
            "ended_on",
            "successor",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_ended_on(self, unit):
        """The day a merger, split or dissolution took effect, if it has (unit changes)."""
        ending = Structure.load().ending(unit.pk)
        return ending.effective_on if ending else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_successor(self, unit):
        """The code of the unit its systems count toward since it ended, if it has."""
        structure = Structure.load()
        return (
            structure.units[structure.placement(unit.pk)].code
            if structure.ending(unit.pk)
            else None
        )

    @extend_schema_field(OpenApiTypes.INT)
    def get_depth(self, unit):
        """0 for a reporting unit, 1 for its departments, and so on."""
        return unit.path.count("/") - 2


class UnitCodeField(serializers.SlugRelatedField):
    """A unit by its code, among the units given by the view (those the user may edit):
    any other code, another province's included, reads as unknown."""

    default_error_messages = {
        "does_not_exist": _("No unit you may edit has the code “{value}”."),
        "invalid": _("Give a unit code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return self.context["editable_units"]

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 32:
            self.fail("invalid")
        code = data.strip().upper()
        current = self._current_unit()
        if current is not None and current.code == code:
            return current  # kept as it is, even a unit the user may not edit (as the import does)
        return super().to_internal_value(code)

    def _current_unit(self):
        instance = getattr(self.parent, "instance", None)
        return getattr(instance, self.source, None) if instance is not None else None


class SystemSerializer(serializers.ModelSerializer):
    owner = UnitCodeField()
    operator = UnitCodeField(required=False, allow_null=True)
    code = CleanCharField(max_length=64)
    name = CleanCharField(max_length=255)
    decision_number = CleanCharField(max_length=64, required=False, allow_blank=True)
    proposed_level = serializers.IntegerField(
        min_value=1, max_value=MAX_LEVEL, required=False, allow_null=True
    )
    approved_level = serializers.IntegerField(
        min_value=1, max_value=MAX_LEVEL, required=False, allow_null=True
    )
    level = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = InformationSystem
        fields = ["id", *SYSTEM_FIELDS, "level", "updated_at"]
        read_only_fields = ["id", "level", "updated_at"]
        extra_kwargs = {"declared_on": {"required": False}}
        # Uniqueness and the record's rules are checked by actions.save_system, in one place.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["code"].validators = []
        return fields


class ReadSystemSerializer(SystemSerializer):
    """A system as read: units by code. An operator unit outside the reader's scope is not
    named (null), as the history names it "another unit"."""

    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    operator = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_operator(self, system):
        if system.operator_id is None:
            return None
        shown = self.context.get("visible_unit_ids")  # None: every unit
        return system.operator.code if shown is None or system.operator_id in shown else None


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    import_batch = serializers.IntegerField(allow_null=True)
    api_token = serializers.CharField(allow_null=True, help_text=_("Label of the API token."))
    changes = ChangeSerializer(many=True)


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    legal_basis = serializers.CharField()
    requirement = serializers.CharField()
    due_date = serializers.DateField()
    levels = serializers.ListField(child=serializers.IntegerField())
    units = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Codes of the units it applies to that you may see; empty: every unit."),
    )


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True, help_text=_("Unit code; null: national."))
    as_of = serializers.DateField()
    format = serializers.CharField()
    status = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    checksum = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.URLField(allow_null=True)
