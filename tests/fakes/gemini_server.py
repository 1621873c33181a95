"""A fake Gemini API server (``models/<m>:generateContent`` and ``:streamGenerateContent?alt=sse``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from . import FakeServer, Reply

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}
_STATUS |= {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
_USAGE = {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15}


class FakeGemini(FakeServer):
    provider = "gemini"

    def routes(self) -> list[Route]:
        return [Route("/{version}/models/{target}", self._models, methods=["POST"])]

    def error_body(self, status: int) -> dict[str, Any]:
        return {
            "error": {
                "code": status,
                "message": f"scripted error {status}",
                "status": _STATUS.get(status, "UNKNOWN"),
            }
        }

    async def _models(self, request: Request) -> Response:
        target = request.path_params["target"]
        model, _, action = target.partition(":")
        if action not in ("generateContent", "streamGenerateContent"):
            return JSONResponse({"error": {"code": 404, "message": f"no {action}"}}, status_code=404)

        def answer(reply: Reply, _body: dict[str, Any]) -> Response:
            if action == "streamGenerateContent":
                return StreamingResponse(self._stream(reply, model), media_type="text/event-stream")
            return JSONResponse(self._response(self._parts(reply), model, finish=True))

        return await self._serve(request, answer)

    @staticmethod
    def _parts(reply: Reply) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = [{"text": reply.text}] if reply.text else []
        parts += [{"functionCall": {"id": c.id, "name": c.name, "args": c.args}} for c in reply.tool_calls]
        return parts

    @staticmethod
    def _response(parts: list[dict[str, Any]], model: str, *, finish: bool) -> dict[str, Any]:
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
        out: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
        if finish:
            candidate["finishReason"] = "STOP"
            out["usageMetadata"] = _USAGE
        return out

    async def _stream(self, reply: Reply, model: str) -> AsyncIterator[bytes]:
        events: list[dict[str, Any]] = []
        for piece in reply.text_chunks():
            events.append(self._response([{"text": piece}], model, finish=False))
        calls = [{"functionCall": {"id": c.id, "name": c.name, "args": c.args}} for c in reply.tool_calls]
        if calls:
            events.append(self._response(calls, model, finish=False))
        if not events:
            events.append(self._response([{"text": ""}], model, finish=False))
        last = events[-1]
        last["candidates"][0]["finishReason"] = "STOP"
        last["usageMetadata"] = _USAGE
        for event in events:
            yield f"data: {json.dumps(event)}\r\n\r\n".encode()
