"""The tables of a user's conversation and sign-in: chat messages, refresh tokens, failed sign-ins
and the writes already run for an idempotency key. ``assistant.models`` re-exports them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..model_types import UTCDateTime, ts_field

# ---------------------------------------------------------------- chat


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_user_id", "user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    role: str = Field(max_length=20)
    content: str = Field(default="")
    tool_calls: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    turn_id: str = Field(default="", max_length=64)
    created_at: dt.datetime = ts_field()


# ---------------------------------------------------------------- sessions and retries


class RefreshToken(SQLModel, table=True):
    """One issued refresh token. Why stored: a refresh token is good for one use (rotation); a
    second use of the same ``jti`` means it was copied, so its whole ``family`` (every token
    descended from one sign-in) is revoked, access tokens of that family included."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        Index("ix_refresh_tokens_family", "family"),
        Index("ix_refresh_tokens_user_expires", "user_id", "expires_at"),
    )

    jti: str = Field(primary_key=True, max_length=32)
    family: str = Field(max_length=32)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = ts_field()


class LoginFailure(SQLModel, table=True):
    """Failed sign-ins counted per key (account at an address, an address, a signed-in user), in
    the database so that every app instance on it sees the same count and the same lock."""

    __tablename__ = "login_failures"

    key: str = Field(primary_key=True, max_length=400)
    failures: int = Field(default=0)
    first_at: float = Field(default=0.0)  # start of the counting window (epoch seconds)
    locked_until: float = Field(default=0.0, index=True)  # epoch seconds


class IdempotencyRecord(SQLModel, table=True):
    """A write that ran for (user, ``Idempotency-Key`` or chat message id), and its answer.

    The unique constraint is what makes a retried write run once, also when two copies of the
    request race each other; ``status_code`` stays NULL until the answer is known.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),
        Index("ix_idempotency_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    key: str = Field(max_length=300)
    request: str = Field(default="", max_length=600)
    status_code: int | None = Field(default=None)
    content_type: str = Field(default="", max_length=200)
    body: str | None = Field(default=None)
    created_at: dt.datetime = ts_field()
