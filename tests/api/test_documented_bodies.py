"""The OpenAPI schema tells the truth (issue 17, item 10): every request body the schema documents is accepted by
its operation. schemathesis generates only positive cases (data that fits the documented schema) plus the
schema's examples for every operation that takes a body, sends them in process as the operation's role, and fails
on any answer where the operation's own validation refused the body (ninja's 422 with `errors` located in the
body) — a body documented with another schema's shape (two classes of one name) is refused every time. A 404 (a
generated id that does not exist) or a business refusal (DomainError, 422 without `errors`) is an accepted body.
"""

import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from .test_schemathesis import _role_for

pytestmark = pytest.mark.django_db

EXAMPLES = 6
BUDGET_SECONDS = 60


def test_every_documented_body_is_accepted(demo):
    from hongyin.accounts.models import User
    from hongyin.accounts.services import api_token_create
    from hongyin.site.api import api

    tokens = {}
    for name in ("zone_admin", "system_admin", "security_admin"):
        _token, raw = api_token_create(actor=User.objects.get(username=name), name="bodies", scope="write")
        tokens[name] = raw
    schema = schemathesis.openapi.from_dict(dict(api.get_openapi_schema(path_prefix="/api/v1")))
    schema.app = WSGIHandler()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        operations = [
            op
            for op in (r.ok() for r in schema.get_all_operations())
            if op.definition.raw.get("requestBody", {}).get("content", {}).get("application/json")
        ]
        refused: list[str] = []
        stats = {"operations": len(operations), "cases": 0}
        started = time.monotonic()
        for operation in operations:
            _send_positive_cases(operation, tokens[_role_for(operation.path)], stats, refused, started)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    summary = f"{stats['operations']} operations, {stats['cases']} positive cases, {len(refused)} refused"
    print("documented bodies:", summary)
    assert stats["operations"] > 20 and stats["cases"] >= stats["operations"]
    assert not refused, "\n".join(sorted(set(refused))[:40])


def _send_positive_cases(operation, token, stats, refused, started) -> None:
    op_started = time.monotonic()
    per_op = BUDGET_SECONDS / max(stats["operations"], 1)
    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    strategies += operation.get_strategies_from_examples()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(*strategies))
    def run(case):
        if time.monotonic() - op_started > per_op * 3 and stats["cases"] > 0:
            return
        stats["cases"] += 1
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code != 422:
            return
        body = response.json()
        body_errors = [e for e in body.get("errors") or [] if (e.get("loc") or [None])[0] == "body"]
        if body_errors:
            where = ".".join(str(p) for p in body_errors[0].get("loc", []))
            refused.append(f"{operation.method.upper()} {operation.path}: {where}: {body_errors[0].get('msg')}")

    run()
