"""Migration 0004 backfills each existing row's amount in the user's currency (and round-trips)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from assistant import migrate
from assistant.db import make_engine


def test_backfill_fixes_own_currency_rows_and_rated_foreign_rows(fresh_db_url: str) -> None:
    migrate.downgrade(fresh_db_url, "0001")
    eng = make_engine(fresh_db_url)
    try:
        with eng.begin() as conn:
            uid = conn.execute(
                text(
                    "INSERT INTO users (email, display_name, currency, timezone, password_hash, settings, "
                    "token_version, created_at) VALUES ('m@example.com', '', 'USD', 'UTC', '', '{}', 0, "
                    "CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO currency_rates (user_id, currency, rate, updated_at) "
                    "VALUES (:u, 'EUR', '1.1', CURRENT_TIMESTAMP)"
                ),
                {"u": uid},
            )
            for cents, cur in ((1250, "USD"), (2000, "EUR"), (999, "GBP")):
                conn.execute(
                    text(
                        "INSERT INTO transactions (kind, amount, currency, date, description, user_id, source, "
                        "created_at, updated_at) VALUES ('expense', :a, :c, '2026-11-02', 'x', :u, 'ui', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"a": cents, "c": cur, "u": uid},
                )
        migrate.upgrade(fresh_db_url)
        with eng.connect() as conn:
            rows = conn.execute(
                text("SELECT currency, home_amount, fx_rate FROM transactions WHERE user_id = :u ORDER BY currency"),
                {"u": uid},
            ).all()
        assert [(c, h, None if r is None else Decimal(r)) for c, h, r in rows] == [
            ("EUR", 2200, Decimal("1.1")),  # 20.00 EUR at the rate already set: 22.00 USD, in cents
            ("GBP", None, None),  # no rate: pending, and totals say so
            ("USD", 1250, Decimal(1)),
        ]
        migrate.downgrade(fresh_db_url, "0001")
        migrate.upgrade(fresh_db_url)
    finally:
        eng.dispose()
