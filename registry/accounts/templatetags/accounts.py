from django import template

from registry import scope

register = template.Library()


@register.filter
def manages_accounts(user):
    """Whether the navigation offers this user the account pages."""
    return scope.can_manage_accounts(user)
