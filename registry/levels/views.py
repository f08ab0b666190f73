"""The list of systems whose level is below what the criteria give, in the reader's scope."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from compliance.views import read_only_page
from registry import scope
from registry.levels import rules, selectors

PER_PAGE = 50


@read_only_page
def below_suggestion(request):
    """National administrators see every unit's systems; other readers their own scope's."""
    if not scope.can_read_registry(request.user):
        raise PermissionDenied
    as_of = timezone.localdate()
    rows = selectors.below_suggestion(scope.visible_systems(request.user), as_of)
    page = Paginator(rows.select_related("owner"), PER_PAGE).get_page(request.GET.get("page"))
    for system in page:
        system.suggestion = rules.suggest(system)
    return render(request, "levels/below.html", {"page": page, "as_of": as_of})
