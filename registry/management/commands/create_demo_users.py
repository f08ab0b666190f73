from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.baseline import create_demo_users

FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = "Create one demo user per role and print their logins (only when created)."

    def add_arguments(self, parser):
        parser.add_argument(
            FLAG,
            action="store_true",
            dest="not_production",
            help="Create them even with DJANGO_DEBUG off (a staging or training database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["not_production"]:
            # The demo logins include a national administrator with a printed password.
            raise CommandError(
                _(
                    "DJANGO_DEBUG is off: this looks like production, and demo accounts "
                    "(a national administrator among them) must not exist there. Run with "
                    "DJANGO_DEBUG=on, or add %(flag)s if this database is not production."
                )
                % {"flag": FLAG}
            )
        for username, password, role, unit in create_demo_users():
            self.stdout.write(f"  login: {username:<9} password: {password}   ({role}, {unit})")
