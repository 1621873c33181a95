"""A fake OpenAI Chat Completions server (``POST /v1/chat/completions``, JSON or SSE)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from . import FakeServer, Reply, split_json


class FakeOpenAI(FakeServer):
    provider = "openai"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def routes(self) -> list[Route]:
        return [
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ]

    async def _models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "gpt-test", "object": "model"}]})

    async def _chat(self, request: Request) -> Response:
        return await self._serve(request, self._answer)

    def _answer(self, reply: Reply, body: dict[str, Any]) -> Response:
        model = body.get("model", "gpt-test")
        if body.get("stream"):
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(self._stream(reply, model, usage), media_type="text/event-stream")
        return JSONResponse(self._complete(reply, model))

    @staticmethod
    def _complete(reply: Reply, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.args)},
                }
                for c in reply.tool_calls
            ]
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    @staticmethod
    async def _stream(reply: Reply, model: str, usage: bool) -> AsyncIterator[bytes]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            }

        def line(event: Any) -> bytes:
            return f"data: {json.dumps(event)}\n\n".encode()

        yield line(chunk({"role": "assistant", "content": ""}))
        for piece in reply.text_chunks():
            yield line(chunk({"content": piece}))
        for index, call in enumerate(reply.tool_calls):
            yield line(
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": call.id,
                                "type": "function",
                                "function": {"name": call.name, "arguments": ""},
                            }
                        ]
                    }
                )
            )
            for piece in split_json(json.dumps(call.args)):
                yield line(chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}))
        yield line(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
        if usage:
            yield line(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
            )
        yield b"data: [DONE]\n\n"
