"""The page where a user creates (shown once) and revokes their own API tokens.

Creating a token needs a session that passed the second factor: the token will be used
without one. A user reaches only their own tokens (404 for anyone else's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry import scope
from registry.api import actions
from registry.api.forms import NewTokenForm


def own_tokens(user):
    return user.api_tokens.all()


@login_required
@never_cache  # the page that shows a new token once must not be kept by any cache
def token_list(request):
    may_create = request.user.is_verified()
    form = NewTokenForm(request.POST or None)
    shown = None
    if request.method == "POST":
        if not may_create:
            messages.error(request, _("Turn on two-factor sign-in before creating an API token."))
            return redirect("api_tokens:list")
        if form.is_valid():
            token, shown = actions.issue_token(
                actor=request.user,
                label=form.cleaned_data["label"],
                expires_on=form.cleaned_data["expires_on"],
                request=request,
            )
            form = NewTokenForm()
    context = {
        "tokens": own_tokens(request.user),
        "form": form,
        "may_create": may_create,
        "shown": shown,
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = scope.load(own_tokens(request.user), pk)
    if actions.revoke_token(token, actor=request.user, request=request):
        messages.success(request, _("The token “%(label)s” is revoked.") % {"label": token.label})
    return redirect("api_tokens:list")
