"""Admin pages for the import (upload, dry-run preview, confirm), the export and the import history.

Thin: the work is in registry/imports.py and registry/exports.py. Mounted by
InformationSystemAdmin.get_urls; ImportBatchAdmin is registered in registry/admin.py.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from registry import scope
from registry.admin_site import ReadOnlyAdminMixin
from registry.audit.actions import record
from registry.exports import CONTENT_TYPES, FORMATS, export_chunks, file_name, template
from registry.imports import confirm_import, import_systems, record_refused_upload
from registry.models import ImportBatch, ImportStatus

PREVIEW_CHANGES = 200
RECENT_BATCHES = 10


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=100,
        help_text=_("Excel only; the first sheet when empty."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_(
            "Optional: import for this unit only; rows without an owner unit belong to it."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.editable_units(user)


def import_export_urls(model_admin):
    """URL patterns added to the information system admin."""
    wrap = model_admin.admin_site.admin_view
    views = _Views(model_admin)
    prefix = "registry_informationsystem"
    return [
        path("import/", wrap(views.upload), name=f"{prefix}_import"),
        path("import/<int:batch_id>/confirm/", wrap(views.confirm), name=f"{prefix}_confirm"),
        path("import/template/<str:fmt>/", wrap(views.template), name=f"{prefix}_template"),
        path("export/<str:fmt>/", wrap(views.export), name=f"{prefix}_export"),
    ]


class _Views:
    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _context(self, request, **extra):
        opts = self.model_admin.model._meta
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": _("Import information systems"),
            **extra,
        }

    def upload(self, request):
        if not scope.can_edit_systems(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        report = None
        refused = getattr(request, "refused_upload", None)  # set by registry/uploads.py
        if request.method == "POST" and refused:
            report = record_refused_upload(*refused, request.user)
        elif request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_systems(
                upload,
                upload.name,
                request.user,
                dry_run=True,
                unit=form.cleaned_data["unit"],
                sheet=form.cleaned_data["sheet"],
            )
        return self._render(request, form, report)

    def confirm(self, request, batch_id):
        if request.method != "POST" or not scope.can_edit_systems(request.user):
            raise PermissionDenied
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, user=request.user, status=ImportStatus.DRY_RUN
        )
        report = confirm_import(batch, request.user)
        if report.ok:
            messages.success(request, report.summary())
            return redirect("admin:registry_informationsystem_changelist")
        return self._render(request, ImportForm(user=request.user), report)

    def _render(self, request, form, report):
        recent = ImportBatch.objects.filter(user=request.user).select_related("default_unit")
        context = self._context(
            request,
            form=form,
            report=report,
            changes=report.changes[:PREVIEW_CHANGES] if report else [],
            hidden_changes=max(len(report.changes) - PREVIEW_CHANGES, 0) if report else 0,
            recent=recent[:RECENT_BATCHES],
            formats=FORMATS,
        )
        return TemplateResponse(request, "admin/registry/informationsystem/import.html", context)

    def template(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        return _attachment(template(fmt), file_name("mau-nhap-he-thong", fmt), fmt)

    def export(self, request, fmt):
        if fmt not in FORMATS or not scope.can_read_registry(request.user):
            raise Http404
        chunks = export_chunks(scope.visible_systems(request.user), fmt)
        record("export.downloaded", request=request, data={"kind": "systems", "format": fmt})
        return _attachment(chunks, file_name("he-thong-thong-tin", fmt), fmt, streaming=True)


def _attachment(data, name, fmt, streaming=False):
    response_class = StreamingHttpResponse if streaming else HttpResponse
    response = response_class(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def visible_imports(user, queryset=None):
    """The imports a user may open: national administrators all, officers their own."""
    queryset = ImportBatch.objects.all() if queryset is None else queryset
    if not scope.can_edit_systems(user):
        return queryset.none()
    if scope.is_national_admin(user):
        return queryset
    return queryset.filter(user=user)


def can_view_import(user, batch):
    return scope.can_edit_systems(user) and (
        scope.is_national_admin(user) or batch.user_id == user.pk
    )


class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The import history: read-only; national administrators see every import, others theirs."""

    list_display = (
        "created_at",
        "user",
        "file_name",
        "status",
        "total_rows",
        "created",
        "updated",
        "unchanged",
        "error_rows",
    )
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("file_name", "checksum")
    readonly_fields = [
        "created_at",
        "user",
        "file_name",
        "checksum",
        "size",
        "source",
        "sheet",
        "default_unit",
        "status",
        "total_rows",
        "created",
        "updated",
        "unchanged",
        "error_rows",
        "message",
        "error_list",
        "changed_systems",
    ]
    exclude = ("errors",)

    def get_queryset(self, request):
        return visible_imports(request.user, super().get_queryset(request))

    @admin.display(description=_("errors"))
    def error_list(self, obj):
        from django.utils.html import format_html_join

        return format_html_join(
            "\n",
            "<div>{} {}, {}: {}</div>",
            ((_("row"), e["row"], e["column"], e["message"]) for e in obj.errors),
        )

    @admin.display(description=_("history rows written"))
    def changed_systems(self, obj):
        return obj.historical_systems.count()

    may_read = staticmethod(scope.can_edit_systems)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
