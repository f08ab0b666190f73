from django.core.management.base import BaseCommand

from registry.baseline import create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role and print their logins (only when created)."

    def handle(self, *args, **options):
        for username, password, role, unit in create_demo_users():
            self.stdout.write(f"  login: {username:<9} password: {password}   ({role}, {unit})")
