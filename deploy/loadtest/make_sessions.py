"""Sessions for the load test, made once before it starts (scripts/loadtest.sh), never through the login form: 200
simulated users signing in with passwords would meet the login rate limit and, with one wrong guess each, the
per-account lockout (django-axes). Each simulated user gets its own complete session (password step and second
factor, hongyin.devtools.sessions.login_as) of an account of its role, accounts taken in turn; the API clients get a
read-only personal token. Writes JSON: {"cookie": name, "sessions": {class: [key, ...]}, "token": raw}.

Run with the load test's DJANGO_SETTINGS_MODULE and DATABASE_URL (the script sets them)."""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--accounts-per-role", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client
    from mix import MIX, sessions_needed

    from hongyin.accounts.models import ApiToken, User
    from hongyin.accounts.services import api_token_create
    from hongyin.devtools.sessions import login_as

    # Sessions of earlier runs go (they would pile up run after run); the seeded data stays.
    Session.objects.all().delete()
    sessions: dict[str, list[str]] = {}
    for name, count in sessions_needed(args.users).items():
        role = MIX[name][1]
        # The demo account of the role first (it has the seeded work), then other accounts holding the role.
        held = User.objects.filter(is_active=True, role_assignments__role=role).distinct()
        accounts = sorted(held.values_list("username", flat=True), key=lambda u: (u != role, u))
        accounts = accounts[: args.accounts_per_role]
        sessions[name] = [login_as(Client(), accounts[i % len(accounts)]).session.session_key for i in range(count)]
        print(f"  {name:<18} {count:>4} sessions over {len(accounts)} account(s) with role {role}")
    actor = User.objects.get(username="zone_admin")
    ApiToken.objects.filter(user=actor, name="loadtest").delete()
    _token, raw = api_token_create(actor=actor, name="loadtest", days=1)
    Path(args.out).write_text(
        json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions, "token": raw}, indent=1)
    )


if __name__ == "__main__":
    main()
