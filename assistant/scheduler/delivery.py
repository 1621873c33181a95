"""Outside delivery: email over SMTP and any Apprise URL (ntfy, Telegram, Slack, Discord, ...).

Each (notification, channel) pair is a ``NotificationDelivery`` row written with the
notification. A delivery pass claims due rows (``SKIP LOCKED`` on PostgreSQL), sends each one
with a few quick retries (tenacity), and records the outcome; a failed row waits with growing
backoff for a later pass, up to ``MAX_ATTEMPTS``. Channels never wait on one another, and the
inbox never waits on any of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage

import apprise
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from tenacity import retry, stop_after_attempt, wait_exponential

from ..db import unit_of_work
from ..models import Notification, NotificationDelivery, User
from ..settings import Settings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class DeliveryError(Exception):
    pass


def _send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    if not settings.smtp_host:
        raise DeliveryError("no SMTP server is configured (BUDGETWISE_SMTP_HOST)")
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(msg)


def _send_apprise(url: str, title: str, body: str) -> None:
    app = apprise.Apprise()
    if not app.add(url):
        raise DeliveryError("the Apprise URL is not valid")
    if not app.notify(title=title, body=body):
        raise DeliveryError("the Apprise service did not accept the message")


def send(settings: Settings, channel: str, title: str, body: str) -> None:
    """Send one message on one channel, retrying quickly a few times."""
    kind, _, target = channel.partition(":")

    @retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2, max=2), reraise=True)
    def attempt() -> None:
        if kind == "email":
            _send_email(settings, target, title, body)
        elif kind == "apprise":
            _send_apprise(target, title, body)
        else:
            raise DeliveryError(f"unknown channel type {kind!r}")

    attempt()


def deliver_pending(engine: Engine, settings: Settings, now: dt.datetime, *, batch: int = 50) -> dict[str, int]:
    """Send what is due; returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        with unit_of_work(engine) as session:
            stmt = (
                select(NotificationDelivery)
                .where(col(NotificationDelivery.status) == "pending", col(NotificationDelivery.next_attempt_at) <= now)
                .order_by(col(NotificationDelivery.next_attempt_at), col(NotificationDelivery.id))
                .limit(batch)
            )
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = list(session.exec(stmt))
            for row in rows:
                n = session.get(Notification, row.notification_id)
                user = session.get(User, n.user_id) if n else None
                if n is None or user is None:
                    row.status = "failed"
                    row.last_error = "the notification is gone"
                    session.add(row)
                    continue
                row.attempts += 1
                try:
                    send(settings, row.channel, n.title, n.body)
                except Exception as exc:  # one channel's failure is recorded, never raised
                    row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                    if row.attempts >= MAX_ATTEMPTS:
                        row.status = "failed"
                        counts["failed"] += 1
                    else:
                        row.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** (row.attempts - 1))
                        counts["retry"] += 1
                    log.warning("delivery %s on %s failed: %s", row.id, row.channel.split(":")[0], row.last_error)
                else:
                    row.status = "sent"
                    row.sent_at = now
                    row.last_error = ""
                    counts["sent"] += 1
                session.add(row)
        if len(rows) < batch:
            return counts
