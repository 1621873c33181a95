"""One settings object for the whole app (pydantic-settings, prefix ``BUDGETWISE_``, ``.env``).

Why one object: every part of the app (CLI, web, agent, scheduler) reads the same values, and
tests build their own ``Settings(...)`` instead of patching the environment.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .private_files import private_dir, write_private_text

APP_NAME = "budgetwise"


def data_dir() -> Path:
    """The per-user data directory (created on demand)."""
    return private_dir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def _default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'budgetwise.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BUDGETWISE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(default_factory=_default_database_url)
    secret_key: SecretStr | None = None
    llm: str = "local"
    llm_base_url: str | None = None
    prefer_local: bool = True
    llm_timeout_seconds: float = 30.0
    llm_max_retries: int = 2
    max_tool_rounds: int = 5
    stt: str = "local"
    # Advanced speech-recognition tuning (docs/voice.md): beam size, and CPU threads (0: min(cores, 4)).
    stt_beam: int = Field(default=2, ge=1, le=10)
    # How many readings of a recording the offline engine chooses from (1: only the likeliest).
    stt_nbest: int = Field(default=10, ge=1, le=16)  # assistant.voice.stt.NBEST
    stt_threads: int = Field(default=0, ge=0, le=64)
    # Speech out (docs/voice.md): local (Piper, default) | espeak | browser | off; speed (1.0 = the
    # voice's own pace) and another voice (a Piper .onnx with its .onnx.json beside it, or an espeak voice).
    tts: str = "local"
    tts_rate: float = Field(default=1.0, ge=0.5, le=2.0)
    tts_voice: str | None = None
    # Voice turns allowed to wait for the speech model beyond the one it runs; more get "busy, try again".
    voice_max_waiting: int = Field(default=2, ge=0, le=64)
    scheduler: Literal["on", "off"] = "on"
    reminder_poll_seconds: int = 60
    # On PostgreSQL, LISTEN for notifications made by any process and push them to this
    # instance's WebSockets (keep on for every web instance, also with the scheduler off).
    pg_listen: bool = True
    cors_origins: list[str] = Field(default_factory=list)
    allowed_origins: list[str] = Field(default_factory=list)
    # Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated or a
    # JSON list); none by default, so the client address is the TCP peer (docs/deploy.md).
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    access_token_minutes: int = 60
    refresh_token_days: int = 30
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "budgetwise@localhost"
    log_level: str = "INFO"
    # Hostile-input limits (web/hardening.py, web/http_guard.py; docs/deploy.md): request bodies by kind of
    # route, answered 413 before they are read; the request head; how long a client may stall.
    max_json_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_import_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_audio_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_header_bytes: int = Field(default=32 * 1024, ge=4096)
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    body_idle_timeout_seconds: float = Field(default=15.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)
    # Fair admission (web/admission.py): signed-in requests and chat turns running at once, and how
    # long one may wait its user's turn before a 503 with Retry-After.
    admission_capacity: int = Field(default=12, ge=1, le=256)
    admission_max_wait_seconds: float = Field(default=5.0, gt=0, le=60)
    # Sign-ups and sign-ins queue for the password hasher (web/security.py); one that would wait
    # longer than this is answered 503 with Retry-After at once.
    password_queue_max_wait_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, value: str) -> str:
        provider = value.split(":", 1)[0]
        if provider not in {"local", "openai", "gemini", "ollama", "scripted"}:
            raise ValueError("BUDGETWISE_LLM must be local, openai:<model>, gemini:<model> or ollama:<model>")
        return value

    def get_secret_key(self) -> str:
        """The signing key: the configured one, else one generated once and kept in the data dir."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = data_dir() / "secret_key"
        if path.exists():
            return path.read_text().strip()
        return write_private_text(path, secrets.token_urlsafe(48))


@lru_cache
def get_settings() -> Settings:
    return Settings()
