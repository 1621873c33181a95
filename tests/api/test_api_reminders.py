# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Acting on reminders over REST: handled, snooze, cancel the subscription; reminder preferences."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from assistant.scheduler.poll import poll
from tests.api_support import Account, alice, app, bob, client  # noqa: F401


def _reminder(client: TestClient, account: Account, engine: Engine, clock: FixedClock) -> dict[str, object]:
    r = client.post(
        "/api/subscriptions",
        headers=account.headers,
        json={"name": "Netflix", "amount": "15.49", "cadence": "monthly", "next_renewal": "2026-11-25"},
    )
    assert r.status_code == 201, r.text
    poll(engine, clock)  # 12:00 New York on the 22nd: the 7-day reminder is due
    items = client.get("/api/notifications", headers=account.headers).json()["items"]
    (reminder,) = [n for n in items if n["kind"] == "renewal_reminder"]
    return dict(reminder)


def test_handle_snooze_and_cancel_from_a_reminder(
    client: TestClient, alice: Account, bob: Account, engine: Engine, clock: FixedClock
) -> None:
    reminder = _reminder(client, alice, engine, clock)
    nid = reminder["id"]
    assert reminder["title"] == "Netflix renews in 3 days"
    # another user cannot touch it
    for action in ("handled", "snooze", "cancel-subscription", "read"):
        body = {"until": "2026-11-24T09:00:00-05:00"} if action == "snooze" else None
        assert client.post(f"/api/notifications/{nid}/{action}", headers=bob.headers, json=body).status_code == 404
    past = client.post(
        f"/api/notifications/{nid}/snooze", headers=alice.headers, json={"until": "2026-11-01T09:00:00Z"}
    )
    assert past.status_code == 422
    ok = client.post(
        f"/api/notifications/{nid}/snooze", headers=alice.headers, json={"until": "2026-11-24T09:00:00-05:00"}
    )
    assert ok.status_code == 200 and ok.json()["snoozed_until"].startswith("2026-11-24T14:00")
    cancelled = client.post(f"/api/notifications/{nid}/cancel-subscription", headers=alice.headers)
    assert cancelled.status_code == 200 and cancelled.json()["handled"] is True
    subs = client.get("/api/subscriptions", headers=alice.headers).json()
    assert subs["total"] == 0  # cancelled: no longer listed as active
    poll(engine, FixedClock(clock.now() + dt.timedelta(days=2)))  # a handled reminder's snooze is void
    kinds = [n["kind"] for n in client.get("/api/notifications", headers=alice.headers).json()["items"]]
    assert kinds.count("renewal_reminder") == 1


def test_reminder_preferences_are_validated_when_saved(client: TestClient, alice: Account) -> None:
    assert client.get("/api/notifications/preferences", headers=alice.headers).json()["reminder_time"] == "09:00"
    bad = [
        {"reminder_time": "9 o'clock"},
        {"channels": [{"type": "apprise", "target": "notaurl"}]},
        {"channels": [{"type": "email", "target": "nobody"}]},
        {"channels": [{"type": "pigeon", "target": "x"}]},
        {"default_remind_days": 99},
    ]
    for body in bad:
        r = client.put("/api/notifications/preferences", headers=alice.headers, json=body)
        assert r.status_code == 422, (body, r.text)
    good = {
        "reminder_time": "07:30",
        "digest": True,
        "channels": [{"type": "apprise", "target": "ntfy://budget-alerts"}],
    }
    r = client.put("/api/notifications/preferences", headers=alice.headers, json=good)
    assert r.status_code == 200 and r.json()["reminder_time"] == "07:30" and r.json()["digest"] is True


def test_lead_times_and_contract_terms_over_rest(client: TestClient, alice: Account) -> None:
    r = client.post(
        "/api/subscriptions", headers=alice.headers,
        json={"name": "Phone", "amount": 25, "cadence": "monthly", "next_renewal": "2026-12-01"},
    )  # fmt: skip
    sid = r.json()["id"]
    bad = client.patch(f"/api/subscriptions/{sid}", headers=alice.headers, json={"extra_reminder_days": [90]})
    assert bad.status_code == 422
    ok = client.patch(
        f"/api/subscriptions/{sid}", headers=alice.headers,
        json={"extra_reminder_days": [1], "contract_end": "2027-06-30", "notice_days": 30},
    )  # fmt: skip
    assert ok.status_code == 200, ok.text
    assert dt.date.fromisoformat(ok.json()["next_renewal"]) == dt.date(2026, 12, 1)
