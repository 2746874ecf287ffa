"""schemathesis against /api/v1/openapi.json, in process (WSGI), for every operation, as signed-in roles.

Reports "schemathesis: N cases, M 5xx, K schema violations"; all must be 0. Each operation is fuzzed as the
zone admin (business operations) and, for the accounts operations, as the system or security admin. Generated
writes happen inside the test's transaction and are rolled back.
"""

import os
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HONGYIN_FUZZ_EXAMPLES", "12"))
BUDGET_SECONDS = 110
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def _role_for(path: str) -> str:
    if path.startswith("/api/v1/accounts/users"):
        return "system_admin"
    if path.startswith("/api/v1/accounts/roles"):
        return "security_admin"
    return "zone_admin"


def test_every_operation_survives_fuzzing(demo):
    from hongyin.accounts.models import User
    from hongyin.accounts.services import api_token_create
    from hongyin.site.api import api

    tokens = {}
    for name in ("zone_admin", "system_admin", "security_admin"):
        _token, raw = api_token_create(actor=User.objects.get(username=name), name="fuzz", scope="write")
        tokens[name] = raw
    raw_schema = api.get_openapi_schema(path_prefix="/api/v1")
    schema = schemathesis.openapi.from_dict(dict(raw_schema))
    schema.app = WSGIHandler()
    # Like Django's test client: keep the test's connection (and its transaction) open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _fuzz_all(schema, tokens)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_all(schema, tokens) -> None:
    stats = {"cases": 0, "server_errors": 0, "violations": 0, "operations": 0}
    problems: list[str] = []
    started = time.monotonic()
    operations = [r.ok() for r in schema.get_all_operations()]
    per_op_budget = BUDGET_SECONDS / max(len(operations), 1)

    for operation in operations:
        stats["operations"] += 1
        fuzz(
            operation, {"Authorization": f"Bearer {tokens[_role_for(operation.path)]}"}, stats, problems, per_op_budget
        )

    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {stats['operations']} operations, {stats['cases']} cases, "
        f"{stats['server_errors']} 5xx, {stats['violations']} schema violations, {elapsed:.0f}s"
    )
    assert not problems, "\n".join(sorted(set(problems))[:60])


def fuzz(operation, headers, stats, problems, per_op_budget) -> None:
    op_started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        if time.monotonic() - op_started > per_op_budget * 3:
            return  # keep the whole run near two minutes
        stats["cases"] += 1
        # a savepoint per case, rolled back after it: a value the database refused (PostgreSQL aborts the
        # transaction) cannot poison the next case
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                title = getattr(failure, "title", type(failure).__name__)
                if "server error" in title.lower():
                    stats["server_errors"] += 1
                else:
                    stats["violations"] += 1
                problems.append(f"{operation.method.upper()} {operation.path}: {title}")
                if os.environ.get("HONGYIN_FUZZ_VERBOSE"):
                    print(f"--- {operation.method.upper()} {operation.path}: {failure}")
        except AssertionError as exc:
            stats["violations"] += 1
            problems.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:200]}")
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
