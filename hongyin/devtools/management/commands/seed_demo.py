import base64

from django.core.management.base import BaseCommand, CommandError

from hongyin.devtools.demo import SCALES, build_zone, demo_password, totp_key_for


class Command(BaseCommand):
    help = "Build the demo zone through the services (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed, scale, quiet, **options):
        from django.conf import settings

        if getattr(settings, "HONGYIN_REFUSE_DEMO_USERS", False):
            raise CommandError("seed_demo refuses to run with production settings.")
        out = self.stdout

        def progress(line: str) -> None:
            out.write(line)
            out.flush()

        if not quiet:
            progress(f"Building the {scale} zone (seed {seed}) through the services:")
        _zone, users = build_zone(scale=scale, seed=seed, progress=None if quiet else progress)
        if quiet:
            return
        password = demo_password()
        out.write("")
        out.write("红引 demo logins  (password for every account: %s)" % password)
        out.write("-" * 72)
        for username, role, otp in users:
            line = f"  {username:<20} {role}"
            if otp:
                secret = base64.b32encode(bytes.fromhex(totp_key_for(username))).decode()
                line += f"   TOTP secret {secret}"
            out.write(line)
        out.write("-" * 72)
        out.write("Accounts marked TOTP need a second factor: add the secret to an authenticator app, or run")
        out.write("  .venv/bin/python manage.py demo_otp USERNAME     (prints the current 6-digit code)")
        out.write("")
