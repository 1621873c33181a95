"""A fake Ollama server (``POST /api/chat``, NDJSON streaming, ``message.tool_calls``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from . import FakeServer, Reply

_CREATED = "2026-11-22T17:00:00.000000Z"


class FakeOllama(FakeServer):
    provider = "ollama"

    def routes(self) -> list[Route]:
        return [
            Route("/", self._root, methods=["GET", "HEAD"]),
            Route("/api/chat", self._chat, methods=["POST"]),
            Route("/api/tags", self._tags, methods=["GET"]),
        ]

    def error_body(self, status: int) -> dict[str, Any]:
        return {"error": f"scripted error {status}"}

    async def _root(self, request: Request) -> Response:
        return PlainTextResponse("Ollama is running")

    async def _tags(self, request: Request) -> Response:
        return JSONResponse({"models": [{"name": "llama-test", "model": "llama-test"}]})

    async def _chat(self, request: Request) -> Response:
        return await self._serve(request, self._answer)

    def _answer(self, reply: Reply, body: dict[str, Any]) -> Response:
        model = body.get("model", "llama-test")
        if body.get("stream", True):
            return StreamingResponse(self._stream(reply, model), media_type="application/x-ndjson")
        message = {"role": "assistant", "content": reply.text, **self._calls(reply)}
        return JSONResponse(self._event(model, message, done=True))

    @staticmethod
    def _calls(reply: Reply) -> dict[str, Any]:
        if not reply.tool_calls:
            return {}
        return {"tool_calls": [{"function": {"name": c.name, "arguments": c.args}} for c in reply.tool_calls]}

    @staticmethod
    def _event(model: str, message: dict[str, Any], *, done: bool) -> dict[str, Any]:
        event: dict[str, Any] = {"model": model, "created_at": _CREATED, "message": message, "done": done}
        if done:
            event |= {
                "done_reason": "stop",
                "total_duration": 1000,
                "load_duration": 10,
                "prompt_eval_count": 10,
                "prompt_eval_duration": 100,
                "eval_count": 5,
                "eval_duration": 100,
            }
        return event

    async def _stream(self, reply: Reply, model: str) -> AsyncIterator[bytes]:
        for piece in reply.text_chunks():
            yield (json.dumps(self._event(model, {"role": "assistant", "content": piece}, done=False)) + "\n").encode()
        if reply.tool_calls:
            message = {"role": "assistant", "content": "", **self._calls(reply)}
            yield (json.dumps(self._event(model, message, done=False)) + "\n").encode()
        final = self._event(model, {"role": "assistant", "content": ""}, done=True)
        yield (json.dumps(final) + "\n").encode()
