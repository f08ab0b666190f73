"""The OpenAPI schema's pieces that no model gives: query parameters, the bulk request and
report, the compliance summary (compliance.selectors' as_dict keys), the problem document."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from compliance.filters import EARLIEST_AS_OF
from registry.text import forbidden_character

CELL_TYPES = (str, int, float, bool, type(None))

DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.BOOL,
    description=_("true: check and report, write nothing."),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=_(
        "Any unique string (a UUID): a retried request with the same key and body gets the "
        "first answer again and changes nothing twice."
    ),
)


class AsOfField(serializers.DateField):
    default_error_messages = {"range": _("Choose a date between 01/07/2015 and today.")}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_AS_OF <= day <= timezone.localdate():
            self.fail("range")
        return day


class SummaryQuerySerializer(serializers.Serializer):
    as_of = AsOfField(required=False, help_text=_("YYYY-MM-DD; default today."))
    unit = serializers.CharField(
        required=False, max_length=32, help_text=_("A unit code; absent: the national view.")
    )

    def validate_unit(self, code):
        return code.strip().upper()


class BulkQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(required=False, default=False)


class RowsField(serializers.ListField):
    """Rows as objects {column header: cell}; cells are text, numbers, true/false or null."""

    child = serializers.DictField(child=serializers.JSONField())

    def __init__(self, **kwargs):
        super().__init__(allow_empty=False, max_length=settings.IMPORT_MAX_ROWS, **kwargs)

    def to_internal_value(self, data):
        rows = super().to_internal_value(data)
        errors = {}
        for index, row in enumerate(rows):
            problems = {
                key: problem for key, value in row.items() if (problem := _cell_problem(key, value))
            }
            if problems:
                errors[index] = problems
        if errors:
            raise serializers.ValidationError(errors)
        return rows


def _cell_problem(key, value):
    if not isinstance(value, CELL_TYPES):
        return [_("A cell is text, a number, true/false or null.")]
    for text in (key, value if isinstance(value, str) else ""):
        if forbidden_character(text, multiline=True) is not None:
            return [_("This text contains an invisible or control character; remove it.")]
    return None


class BulkRequestSerializer(serializers.Serializer):
    rows = RowsField(
        help_text=_(
            "The rows of the import template, each an object keyed by column header "
            "(“Mã hệ thống”, “Tên hệ thống”, …; English headers too)."
        )
    )
    unit = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_("A unit code: rows are limited to its subtree and owned by it by default."),
    )

    def validate_unit(self, code):
        return code.strip().upper()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    index = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class RowChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    index = serializers.IntegerField()
    code = serializers.CharField()
    action = serializers.ChoiceField(choices=["create", "update"])
    columns = serializers.ListField(child=serializers.CharField())


class BulkReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    status = serializers.CharField()
    import_batch = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    total_rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    changes = RowChangeSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)


class BulkRejectionSerializer(ProblemSerializer):
    report = BulkReportSerializer(
        required=False, help_text=_("The import's report, when the rows were read.")
    )


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    approved = serializers.IntegerField()
    approval_rate = serializers.FloatField(allow_null=True)
    fully_deployed = serializers.IntegerField()
    deployment_rate = serializers.FloatField(allow_null=True)
    deployed_of_approved_rate = serializers.FloatField(allow_null=True)
    levels = serializers.DictField(child=serializers.IntegerField())


class BlockSerializer(FiguresSerializer):
    units = serializers.IntegerField()
    units_below_50_approval = serializers.IntegerField()
    units_below_50_deployment = serializers.IntegerField()
    units_without_systems = serializers.IntegerField()


class UnitFiguresSerializer(FiguresSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    no_systems_declared = serializers.BooleanField()


class SummarySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    national = BlockSerializer()
    groups = serializers.DictField(child=BlockSerializer())
    units = UnitFiguresSerializer(many=True)


# The error responses every operation may give, added to the schema by a postprocessing hook.
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
COMMON_ERRORS = {
    "400": _("Malformed request: see `errors`."),
    "401": _("No valid token or session."),
    "403": _("Your role may not do this."),
    "404": _("Not found, or not in your scope."),
    "406": _("Not acceptable."),
    "413": _("Request body over the import's limit."),
    "415": _("Unsupported media type: send application/json."),
    "429": _("Too many requests: wait Retry-After seconds."),
}
WRITE_ONLY_ERRORS = {"409", "413", "415"}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOK: the problem document and the common errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = _problem_component()
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                if code in WRITE_ONLY_ERRORS and method == "get":
                    continue
                responses.setdefault(code, _problem_response(description, code == "429"))
            if method != "get":
                responses.setdefault("409", _problem_response(_("Idempotency-Key conflict.")))
    return result


def _problem_response(description, retry_after=False):
    response = {
        "description": str(description),
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }
    if retry_after:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}
        }
    return response


def _problem_component():
    field_error = {
        "type": "object",
        "properties": {
            "field": {"type": "string"},
            "code": {"type": "string"},
            "message": {"type": "string"},
        },
        "required": ["field", "code", "message"],
    }
    return {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": field_error},
        },
        "required": ["type", "title", "status", "code", "detail"],
    }
