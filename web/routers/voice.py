"""Voice for clients that are not the browser (a phone shortcut, a script): one request, one answer.

``POST /api/voice`` takes a recording (multipart ``audio``: webm/opus, ogg, wav or mp3, at most
8 MB and 60 seconds) and an optional ``speak`` form field, runs it as a chat turn exactly as the
WebSocket does, and answers ``{transcript, reply, tool_calls, audio?}`` (audio: base64 WAV, the
reply's sentences joined). When voice is saturated it answers 503 with ``Retry-After`` at once.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlmodel import Session

from assistant.errors import TooLarge, Unauthorized
from assistant.voice.audio import MAX_BYTES
from assistant.voice.pipeline import RETRY_AFTER_SECONDS, VoiceBusy, reply_events, transcribe, voice_for
from assistant.voice.tts import join_wavs

from ..deps import bearer, user_for_token
from ..errors import ERROR_RESPONSES, ErrorOut
from ..ws import get_runner
from .chat import ToolCallOut

router = APIRouter(
    prefix="/voice",
    tags=["voice"],
    responses={
        401: ERROR_RESPONSES[401],
        413: {"model": ErrorOut, "description": "The recording is over 8 MB or 60 seconds"},
        503: {
            "model": ErrorOut,
            "description": "Speech recognition is turned off or not installed, or busy (with Retry-After)",
        },
    },
)


class VoiceToolCall(ToolCallOut):
    pass


class VoiceNotice(BaseModel):
    code: str
    message: str


class VoiceOut(BaseModel):
    transcript: str = Field(description="What the server heard")
    confident: bool = Field(
        default=True, description="False when the speech model was unsure of the words (a write then needs confirming)"
    )
    reply: str = Field(description="The assistant's answer as text")
    tool_calls: list[VoiceToolCall] = Field(default_factory=list)
    audio: str | None = Field(default=None, description="The answer spoken, base64 WAV (with speak=true)")
    audio_format: str | None = Field(default=None, description='"wav" when audio is present')
    confirm: dict[str, Any] | None = Field(
        default=None,
        description='A write waiting for a yes: {"id", "action": {"name", "args"}, "text"}; answer it on the '
        'WebSocket with {"type": "confirm", "id", "answer": "yes"|"no"} or by saying "yes" / "no"',
    )
    notices: list[VoiceNotice] = Field(
        default_factory=list, description='e.g. {"code": "no_tts"} when speak was asked and the server cannot speak'
    )


def current_user_id(request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> int:
    """The signed-in user, checked with a short session of its own (none is held during the turn)."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)")
    state = request.app.state
    with Session(state.engine, expire_on_commit=False) as session:
        user = user_for_token(session, state.settings, state.clock, creds.credentials)
        return int(user.id)  # type: ignore[arg-type]


@router.post("", response_model=VoiceOut, response_model_exclude_none=True)
async def voice(
    request: Request,
    user_id: Annotated[int, Depends(current_user_id)],
    audio: Annotated[UploadFile, File(description="The recording: webm/opus, ogg, wav or mp3 (8 MB, 60 s at most)")],
    speak: Annotated[bool, Form(description="Also answer with speech (base64 WAV in `audio`)")] = False,
) -> VoiceOut:
    """Speak to the assistant: the recording is transcribed and answered like a chat message.

    Empty, silent or undecodable audio, or no speech in it (tones, noise, music), answers 422
    ("I didn't hear any speech"; nothing is stored); over 8 MB or 60 s, 413; voice saturated,
    503 with Retry-After.
    """
    data = await audio.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge("the recording is too large (at most 8 MB)", field="audio")
    state = request.app.state
    v = voice_for(state)
    try:
        heard = await transcribe(v, data)  # NoSpeech / BadAudio / NotEnglish -> 422, TooLarge -> 413
    except VoiceBusy as exc:
        raise HTTPException(503, exc.message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}) from exc
    out = VoiceOut(transcript=heard.text, confident=heard.confident, reply="")
    wavs: list[bytes] = []
    async with state.hub.user_lock(user_id):
        async for ev in reply_events(get_runner(request.app), v, user_id, heard, "voice-api", speak=speak):
            event = ev.to_dict()
            kind = event.get("type")
            if kind == "tool_call":
                out.tool_calls.append(VoiceToolCall(name=str(event.get("name")), args=event.get("args") or {}))
            elif kind == "tool_result":
                name = str(event.get("name"))
                for call in out.tool_calls:
                    if call.name == name and not call.result:
                        call.ok, call.result = bool(event.get("ok")), event.get("result") or {}
                        break
            elif kind == "assistant_message":
                out.reply = str(event.get("text") or "")
                if isinstance(event.get("confirm"), dict):
                    out.confirm = event["confirm"]
            elif kind == "audio_reply":
                wavs.append(base64.b64decode(event["data"]))
            elif kind == "error":
                code, message = str(event.get("code")), str(event.get("message") or "")
                out.notices.append(VoiceNotice(code=code, message=message))
                if code not in ("no_tts", "voice_busy") and not out.reply:
                    out.reply = f"Sorry, {message}."
    if wavs:
        out.audio, out.audio_format = base64.b64encode(join_wavs(wavs)).decode("ascii"), "wav"
    return out
