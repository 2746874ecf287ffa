"""Create the three separated administrator accounts (三权分立) with one-time passwords.

Each must change its password and enrol two factors at first login. Existing accounts are left alone.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hongyin.accounts import services
from hongyin.accounts.models import User
from hongyin.common.roles import Role

ADMINS = [
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", Role.AUDIT_ADMIN),
]


class Command(BaseCommand):
    help = "Create the system, security and audit administrator accounts; prints one-time passwords once."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="", help="prefix for the usernames, e.g. the deployment name")

    @transaction.atomic
    def handle(self, *args, prefix="", **options):
        for base, display, role in ADMINS:
            username = f"{prefix}{base}"
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{username}: exists, unchanged")
                continue
            password = services.generate_password()
            user = services.user_create(
                actor=None, username=username, password=password, display_name=display, must_change_password=True
            )
            services.role_grant(actor=None, user=user, role=role)
            self.stdout.write(f"{username} ({display}): one-time password {password}  (must change at first login)")
