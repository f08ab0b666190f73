"""The REST API (/api/v1/). Thin: every object comes from registry/scope.py (404 outside the
user's scope, 403 for a read-only role's write), figures from compliance.selectors, writes
from actions.py and the file import. Errors: errors.py."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.history import change_history
from compliance.reports.access import download, visible_reports
from compliance.reports.models import CONTENT_TYPES, ReportStatus
from compliance.selectors import compliance_summary
from registry import scope
from registry.api import actions, bulk, schema, selectors
from registry.api import serializers as api_serializers
from registry.api.base import ApiViewMixin
from registry.api.errors import Conflict
from registry.api.filters import SystemFilter
from registry.api.models import ApiToken
from registry.api.pagination import ByCode, ByPath, Newest
from registry.api.throttling import BulkRateThrottle
from registry.models import InformationSystem

REPORT_CONTENT_TYPES = sorted(set(CONTENT_TYPES.values()))


def _token(request):
    return request.auth if isinstance(request.auth, ApiToken) else None


class UnitViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Units you may see, in tree order: `parent` and `depth` give the tree."""

    serializer_class = api_serializers.UnitSerializer
    pagination_class = ByPath

    def get_queryset(self):
        return scope.visible_units(self.request.user).select_related("parent", "reporting_unit")

    def get_object(self):
        return scope.get_unit_for_user(self.request.user, self.kwargs["pk"])


class SystemViewSet(
    ApiViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Information systems you may see; officers create and change those of their units."""

    pagination_class = ByCode
    filter_backends = [DjangoFilterBackend]
    filterset_class = SystemFilter

    def get_queryset(self):
        return scope.visible_systems(self.request.user).select_related("owner", "operator")

    def get_object(self):
        write = self.request.method not in SAFE_METHODS
        return scope.get_system_for_user(self.request.user, self.kwargs["pk"], write=write)

    def get_serializer_class(self):
        if self.request.method in SAFE_METHODS:
            return api_serializers.ReadSystemSerializer
        return api_serializers.SystemSerializer

    def get_serializer_context(self):
        user = self.request.user
        context = super().get_serializer_context()
        context["editable_units"] = scope.editable_units(user)
        context["visible_unit_ids"] = _visible_unit_ids(user)
        return context

    def _read(self, system):
        return api_serializers.ReadSystemSerializer(
            system, context=self.get_serializer_context()
        ).data

    def get_throttles(self):
        extra = [BulkRateThrottle()] if self.action == "bulk" else []
        return [*super().get_throttles(), *extra]

    def _require_officer(self):
        if not scope.can_edit_systems(self.request.user):
            raise PermissionDenied(_("Only security officers change systems."))

    @extend_schema(responses={201: api_serializers.ReadSystemSerializer})
    def create(self, request, *args, **kwargs):
        self._require_officer()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        system = actions.save_system(
            InformationSystem(),
            serializer.validated_data,
            actor=request.user,
            token=_token(request),
        )
        return Response(self._read(system), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: api_serializers.ReadSystemSerializer})
    def update(self, request, *args, partial=False, **kwargs):
        system = self.get_object()  # 404 outside scope, 403 read-only
        serializer = self.get_serializer(system, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        system = actions.save_system(
            system, serializer.validated_data, actor=request.user, token=_token(request)
        )
        return Response(self._read(system))

    @extend_schema(responses={200: api_serializers.HistoryEntrySerializer(many=True)})
    @action(detail=True, pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """The system's changes, newest first, as its page shows them."""
        system = self.get_object()
        entries = change_history(system, request.user)
        tokens = _history_tokens(entries, request.user)
        rows = [_history_row(entry, tokens) for entry in entries]
        return Response(api_serializers.HistoryEntrySerializer(rows, many=True).data)

    @extend_schema(
        request=schema.BulkRequestSerializer,
        parameters=[schema.DRY_RUN, schema.IDEMPOTENCY_KEY],
        responses={
            200: schema.BulkReportSerializer,
            (400, "application/problem+json"): schema.BulkRejectionSerializer,
        },
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def bulk(self, request):
        """The rows of an import file as JSON: the same columns, words, checks and row errors,
        all or nothing; `dry_run=true` reports without writing. Row numbers are the file's
        (the header is row 1); `index` is the row's position in `rows`."""
        self._require_officer()
        params = schema.BulkQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        payload = schema.BulkRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        unit = _editable_unit(request.user, payload.validated_data.get("unit"))
        dry_run = params.validated_data["dry_run"]
        key = request.headers.get("Idempotency-Key")

        def run():
            return bulk.run(
                payload.validated_data["rows"],
                user=request.user,
                unit=unit,
                dry_run=dry_run,
                token=_token(request),
            )

        if key is None:
            code, body = run()
            return Response(body, status=code, content_type=_content_type(code))
        return _idempotent(request, key, {"dry_run": dry_run, "body": request.data}, run)


def _visible_unit_ids(user):
    """The ids of the units the user may see, or None for all (a national administrator)."""
    if scope.is_national_admin(user):
        return None
    return set(scope.visible_units(user).values_list("pk", flat=True))


def _content_type(code):
    return "application/json" if code < 400 else "application/problem+json"


def _idempotent(request, key, payload, run):
    if not bulk.valid_key(key):
        raise serializers.ValidationError(
            {"Idempotency-Key": [_("Give a key of 1 to 255 printable ASCII characters.")]}
        )
    try:
        stored = bulk.claim(request.user, key, bulk.request_hash(payload))
    except bulk.KeyReused:
        raise Conflict(_("This Idempotency-Key was used for a different request.")) from None
    except bulk.KeyInProgress:
        raise Conflict(_("A request with this Idempotency-Key is still running.")) from None
    if stored is not None:
        response = Response(
            stored.response,
            status=stored.status_code,
            content_type=_content_type(stored.status_code),
        )
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        code, body = run()
    except BaseException:
        bulk.release(request.user, key)
        raise
    bulk.keep(request.user, key, code, body)
    return Response(body, status=code, content_type=_content_type(code))


def _editable_unit(user, code):
    """The unit a bulk run is limited to: 404 unknown or outside scope, 403 read-only."""
    if not code:
        return None
    unit = scope.get_visible_unit_or_404(user, code=code)
    if not scope.editable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not change the systems of this unit."))
    return unit


def _history_tokens(entries, viewer):
    """{token id: label} of the tokens named by the entries that the viewer may see named:
    their own, or any for a national administrator."""
    ids = {entry.record.api_token_id for entry in entries} - {None}
    tokens = ApiToken.objects.filter(pk__in=ids)
    if not scope.is_national_admin(viewer):
        tokens = tokens.filter(user=viewer)
    return dict(tokens.values_list("pk", "label"))


def _history_row(entry, tokens):
    return {
        "when": entry.when,
        "who": None if entry.who is None else str(entry.who),
        "action": str(entry.action),
        "reason": entry.reason,
        "import_batch": entry.batch.pk if entry.batch is not None and entry.batch_named else None,
        "api_token": tokens.get(entry.record.api_token_id),
        "changes": [
            {"field": c.name, "label": c.label, "old": c.old, "new": c.new} for c in entry.changes
        ],
    }


class SummaryView(ApiViewMixin, APIView):
    @extend_schema(
        parameters=[schema.SummaryQuerySerializer],
        responses={200: schema.SummarySerializer},
    )
    def get(self, request):
        """The compliance figures as of a date (default today): nationally (national
        administrators) or for one unit and its subtree (`unit`), with the national and group
        figures for comparison. The same selector and keys as `compliance_summary --format
        json`."""
        params = schema.SummaryQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        code = params.validated_data.get("unit")
        unit = scope.get_visible_unit_or_404(request.user, code=code) if code else None
        if unit is None and not scope.is_national_admin(request.user):
            raise Http404
        as_of = params.validated_data.get("as_of") or timezone.localdate()
        return Response(compliance_summary(as_of=as_of, unit=unit).as_dict())


class CampaignView(ApiViewMixin, APIView):
    @extend_schema(responses={200: api_serializers.CampaignSerializer(many=True)})
    def get(self, request):
        """Active deadline campaigns that concern your units, earliest first."""
        rows = selectors.campaign_rows(selectors.visible_campaigns(request.user), request.user)
        return Response(api_serializers.CampaignSerializer(rows, many=True).data)


class ReportViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Generated Appendix IX reports you may download: a unit's for whoever may see the unit,
    the national ones for national administrators."""

    serializer_class = api_serializers.ReportSerializer
    pagination_class = Newest

    def get_queryset(self):
        return visible_reports(self.request.user).select_related("unit")

    def get_object(self):
        return scope.load(self.get_queryset(), self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [_report_row(request, report) for report in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_report_row(request, self.get_object())).data)

    @extend_schema(
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in REPORT_CONTENT_TYPES
        }
    )
    @action(detail=True)
    def download(self, request, pk=None):
        """The report's file (PDF or XLSX); 404 until it is generated."""
        return download(request, self.get_object())


def _report_row(request, report):
    done = report.status == ReportStatus.DONE and bool(report.file)
    url = reverse("api:report-download", args=[report.pk]) if done else None
    return {
        "id": report.pk,
        "unit": report.unit.code if report.unit_id else None,
        "as_of": report.as_of,
        "format": report.format,
        "status": report.status,
        "size": report.size,
        "checksum": report.checksum,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
        "download_url": request.build_absolute_uri(url) if url else None,
    }


class SchemaView(ApiViewMixin, SpectacularAPIView):
    pass


class DocsView(ApiViewMixin, SpectacularSwaggerSplitView):
    """Swagger UI from the files drf-spectacular-sidecar ships (no CDN), with no inline code
    so that the pages' Content-Security-Policy holds."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
