from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry import scope
from registry.accounts import rules
from registry.models import Role


class RoleForm(forms.Form):
    """A role and its unit, offered only the roles and units its manager may grant."""

    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.is_national = scope.is_national_admin(manager)
        grantable = rules.grantable_roles(self.is_national)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in grantable]
        self.fields["unit"].queryset = scope.account_admin_units(manager).order_by(
            "group", "path", "name"
        )
        self.fields["unit"].help_text = _("Leave empty for a national administrator.")

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned and "unit" in cleaned:
            unit = cleaned["unit"]
            manager_paths = list(
                scope.account_admin_units(self.manager).values_list("path", flat=True)
            )
            try:
                rules.validate_grant(
                    cleaned["role"],
                    unit.path if unit else None,
                    is_national=self.is_national,
                    manager_paths=manager_paths,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AccountForm(RoleForm):
    """A new account with one role."""

    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    field_order = ["username", "full_name", "email", "role", "unit"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())
