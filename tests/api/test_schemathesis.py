# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Property-based fuzzing of every REST operation from the app's own OpenAPI schema.

Signed in as a real user, each operation gets a bounded number of generated requests (valid and
invalid); no answer may be a 5xx, and every answer must match the documented schema.
"""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api_support import Account, alice, app, client  # noqa: F401

# Sign-out and password change would end the fuzzing user's session; test_auth covers them.
SKIP = {("POST", "/api/auth/logout"), ("POST", "/api/auth/password")}
EXAMPLES_PER_OPERATION = 8


def test_every_operation_survives_generated_requests(client: TestClient, app: FastAPI, alice: Account) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # Something for the id-taking operations to find.
    client.post("/api/transactions", headers=alice.headers, json={"amount": 5, "description": "seed"})
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if (result.ok().method.upper(), result.ok().path) not in SKIP
    ]
    assert len(operations) > 25
    strategy = st.one_of([op.as_strategy() for op in operations])
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION * len(operations),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=alice.headers, checks=checks)

    check()
