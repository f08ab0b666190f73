"""The admin site, where every URL that names an object goes through one scoped lookup.

Django's admin and the libraries that add views to it (django-simple-history's
past versions, django-celery-beat, django.contrib.auth) each load objects their
own way, and some only ask "may this user view the model", never "this object".
So the site itself guards them: every model admin registered here, ours or a
library's, is given `ScopedAdminMixin`, which wraps each of its URL patterns
that carries an object id with `registry.scope.load` over the admin's own
scoped queryset. A view a library adds tomorrow is guarded the same way.
"""

from functools import wraps

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, reverse

from registry import scope
from registry.accounts import second_factor
from registry.text import clean_text

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# How admin URL patterns name the object: Django's own views and simple-history's past
# versions say object_id (simple-history positionally), auth's password change says id.
OBJECT_ID_KWARGS = ("object_id", "id")


class ScopedAdminMixin:
    """Object URLs outside the admin's scoped queryset are 404; writes without the right 403."""

    def scoped_queryset(self, request):
        """What this user may open by id: the admin's queryset, or nothing without permission.

        Our admins scope get_queryset through registry/scope.py; a library's admin returns
        every row and relies on Django's model permissions, which this folds into a 404."""
        if not self.has_view_or_change_permission(request):
            return self.model._default_manager.none()
        return self.get_queryset(request)

    def load_object(self, request, object_id, *, write):
        rows = self.scoped_queryset(request)
        may_change = (lambda obj: self.has_change_permission(request, obj)) if write else None
        return scope.load(rows, object_id, may_change=may_change)

    def get_urls(self):
        return [self._guarded(p) if isinstance(p, URLPattern) else p for p in super().get_urls()]

    def _guarded(self, pattern):
        view = pattern.callback

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.GET.get(TO_FIELD_VAR, None) == "":
                raise BadRequest("Empty _to_field")  # Django's admin looks up a field named ""
            object_id = next((kwargs[k] for k in OBJECT_ID_KWARGS if k in kwargs), None)
            if object_id is None and args:
                object_id = args[0]
            # Users the site turns away still get its login redirect, not a 404.
            if object_id is not None and self.admin_site.has_permission(request):
                write = request.method not in SAFE_METHODS
                self.load_object(request, unquote(object_id), write=write)
            if request.method not in SAFE_METHODS:
                self._refuse_malformed_ids(request)
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, guarded, pattern.default_args, pattern.name)

    def _refuse_malformed_ids(self, request):
        """A posted related id that is no id at all ("abc", 26 digits) is a 400.

        The admin would show the form again with the value, and its widgets query for it,
        which fails; dropping the value instead would save an empty field in its place."""
        fields = [f for f in self.model._meta.get_fields() if f.concrete and f.is_relation]
        posted = [(f.target_field, request.POST.getlist(f.name)) for f in fields]
        posted.append((self.model._meta.pk, request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)))
        for target, values in posted:
            for value in values:
                if value != "" and not scope.is_valid_id(target, value):
                    raise BadRequest("Malformed id in the form")

    def changelist_view(self, request, extra_context=None):
        # Django's date drill-down turns ?planned_for__year=<26 digits> into an OverflowError.
        if self.date_hierarchy:
            for part in ("year", "month", "day"):
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (
                    value.isascii() and value.isdigit() and len(value) <= 4
                ):
                    raise BadRequest(f"Malformed {part} in the date drill-down")
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (CleanTextForm, form), {})

    def get_changeform_initial_data(self, request):
        """Initial values from the URL (?parent=3), minus related ids that are no ids at all.

        The admin renders such a value by querying for it ("abc", "1e309"), which fails."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                target = self.model._meta.get_field(name).target_field
            except (AttributeError, FieldDoesNotExist):
                continue  # not a related field
            parts = value if isinstance(value, list) else [value]
            if not all(scope.is_valid_id(target, part) for part in parts):
                del initial[name]
        return initial

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django would redirect with "doesn't exist. Perhaps it was deleted?", confirming the id.
        raise Http404


class ReadOnlyAdminMixin:
    """A record kept by the product itself (imports, the audit trail): shown, never edited.

    `may_read(user)` says who sees it at all; rows are scoped by the admin's get_queryset."""

    @staticmethod
    def may_read(user):
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.may_read(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CleanTextForm(forms.ModelForm):
    """Every admin form, ours or a library's: one-line text without line breaks or invisible
    characters, NFC and trimmed (registry/text.py); text areas may hold line breaks."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and name in self.fields:
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                try:
                    cleaned[name] = clean_text(value, multiline=multiline)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class ScopedAdminSite(admin.AdminSite):
    """The default admin site (registry.apps.ScopedAdminConfig): scopes every registered admin.

    Its users sign in on the pages' login (/login/, then the second factor), and one who owes
    a second factor (registry/accounts/second_factor.py) has no permission here until it is
    passed, as django_otp.admin.OTPAdminSite requires of everyone."""

    def has_permission(self, request):
        return super().has_permission(request) and second_factor.satisfied(request)

    def login(self, request, extra_context=None):
        """The one login of the product: /login/, where django-axes and the second factor are.

        A signed-in user the admin turns away gets a 403 here, not a redirect to /login/,
        which would send them straight back."""
        index = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return HttpResponseRedirect(index)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index, reverse("login"))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedAdminMixin):
            admin_class = type(admin_class.__name__, (ScopedAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)
