"""Every tool's schema as each real provider class sends it, checked against that provider's limits.

Why offline: a schema a provider rejects (or silently mangles) breaks every remote turn, and
we would only learn it from a live key. So each tool is bound the way the runner binds it
(``ResilientChatModel.bind_tools(build_tools(ctx))``) to the real LangChain class, rendered with
the class's own conversion (no network), and checked against the provider's documented limits,
cited beside each check. A schema a real model would reject fails here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import pytest
from google.genai import types as genai
from langchain_core.tools import StructuredTool
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_google_genai._function_utils import convert_to_genai_function_declarations
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI
from ollama._types import Tool as OllamaTool

from assistant.agent.providers import TOOL_SCHEMA_DIALECTS, ResilientChatModel
from tools import REGISTRY, TOOL_NAMES, ToolContext, build_tools

# The JSON types each Args field has, from the Args model itself (what run_tool accepts).
_JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}


def _arg_types(name: str) -> dict[str, str]:
    raw = REGISTRY[name].args.model_json_schema()
    out = {}
    for prop, schema in raw["properties"].items():
        (branch,) = [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]
        out[prop] = branch["type"]
    return out


def _required(name: str) -> set[str]:
    return {n for n, f in REGISTRY[name].args.model_fields.items() if f.is_required()}


def _bind(inner: Any, provider: str, **kwargs: Any) -> list[Any]:
    """The tools exactly as the runner binds them, through our wrapper and the provider's class."""
    dialect = TOOL_SCHEMA_DIALECTS[provider]
    model = ResilientChatModel(inner=inner, provider=provider, tool_schema=dialect, max_retries=0)
    bound: Any = model.bind_tools(build_tools(ToolContext(engine=None, user_id=1)), **kwargs)  # type: ignore[arg-type]
    return list(bound.kwargs["tools"])


def _walk(schema: Any, path: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    """Every schema object under ``schema`` (the root, properties, anyOf branches, items)."""
    if not isinstance(schema, Mapping):
        return []
    out = [(path or "<root>", schema)]
    for key, sub in (schema.get("properties") or {}).items():
        out += _walk(sub, f"{path}.{key}")
    for i, sub in enumerate(schema.get("anyOf") or []):
        out += _walk(sub, f"{path}|{i}")
    if isinstance(schema.get("items"), Mapping):
        out += _walk(schema["items"], f"{path}[]")
    return out


def _types_of(schema: Mapping[str, Any]) -> set[str]:
    if "anyOf" in schema:
        return set().union(*(_types_of(b) for b in schema["anyOf"]))
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


# ---------------------------------------------------------------- OpenAI (Chat Completions)

# Function names: "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length
# of 64" (OpenAI API reference, FunctionObject.name; the API answers "does not match
# ^[a-zA-Z0-9_-]{1,64}$" otherwise, https://portkey.ai/error-library/input-validation-error-10046).
OPENAI_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
# Structured Outputs (strict): "Supported properties ... For strings: pattern, format; for numbers:
# multipleOf, maximum, exclusiveMaximum, minimum, exclusiveMinimum; for arrays: minItems, maxItems";
# every object needs ``additionalProperties: false`` and every property must be in ``required``
# (an optional one made nullable); the root must be an object, not ``anyOf``
# (platform.openai.com/docs/guides/structured-outputs#supported-schemas; summarised at
# https://dev.to/dev_in_the_fog/why-llm-structured-output-strict-mode-rejects-valid-json-schema-additionalproperties-required-o54).
OPENAI_STRICT_KEYWORDS = {
    "type", "description", "enum", "const", "anyOf", "properties", "required", "additionalProperties",
    "items", "$ref", "$defs", "pattern", "format", "multipleOf", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "minItems", "maxItems",
}  # fmt: skip
# Supported string formats in strict mode (the same guide; listed by the Vapi SDK's
# JsonSchemaFormat, which quotes it: https://www.rubydoc.info/gems/vapi_server_sdk/Vapi/JsonSchemaFormat).
OPENAI_STRICT_FORMATS = {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
# "A schema may have up to 5000 object properties total, with up to 10 levels of nesting" and
# "up to 1000 enum values across all enum properties" (the same guide, "Objects have limitations").
OPENAI_MAX_PROPERTIES, OPENAI_MAX_ENUM_VALUES = 5000, 1000


def openai_problems(tool: Mapping[str, Any], *, strict: bool) -> list[str]:
    fn = tool.get("function") or {}
    name, params = fn.get("name", ""), fn.get("parameters") or {}
    out = []
    if tool.get("type") != "function" or not OPENAI_NAME.match(name):
        out.append(f"{name!r}: not a function with a name matching {OPENAI_NAME.pattern}")
    if params.get("type") != "object" or any(k in params for k in ("anyOf", "oneOf", "allOf", "not", "enum")):
        out.append(f"{name}: parameters must be a plain object at the root")
    props = params.get("properties") or {}
    if not set(params.get("required") or []) <= set(props):
        out.append(f"{name}: required names a property that does not exist")
    nodes = _walk(params)
    for path, node in nodes[1:]:
        if not _types_of(node) or not _types_of(node) <= _JSON_TYPES:
            out.append(f"{name}{path}: no JSON type")
    if not strict:
        return out
    if fn.get("strict") is not True:
        out.append(f"{name}: not sent as strict")
    if params.get("additionalProperties") is not False or set(params.get("required") or []) != set(props):
        out.append(f"{name}: strict needs additionalProperties false and every property required")
    enum_values = 0
    for path, node in nodes:
        if extra := set(node) - OPENAI_STRICT_KEYWORDS:
            out.append(f"{name}{path}: {sorted(extra)} not supported in strict mode")
        if "format" in node and node["format"] not in OPENAI_STRICT_FORMATS:
            out.append(f"{name}{path}: format {node['format']!r} not supported in strict mode")
        enum_values += len(node.get("enum") or [])
    if len(nodes) - 1 > OPENAI_MAX_PROPERTIES or enum_values > OPENAI_MAX_ENUM_VALUES:
        out.append(f"{name}: over strict mode's size limits")
    for arg, node in props.items():  # an argument the user may leave out must be able to be null
        optional = arg not in _required(name) if name in REGISTRY else False
        if optional and "null" not in _types_of(node):
            out.append(f"{name}.{arg}: optional but not nullable (strict would force the model to invent it)")
        if optional and "enum" in node and None not in node["enum"]:
            out.append(f"{name}.{arg}: a nullable enum without null rejects null")
    return out


# ---------------------------------------------------------------- Gemini

# FunctionDeclaration.name: "Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or
# contain underscores, dots, colons and dashes, with a maximum length of 64"; parameter names
# "must start with a letter or an underscore and must only contain chars a-z, A-Z, 0-9, or
# underscores with a maximum length of 64" (cloud.google.com/vertex-ai/docs/reference/rest/
# v1beta1/FunctionDeclaration; googleapis.github.io/java-genai ... FunctionDeclaration.Builder.name).
GEMINI_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")
GEMINI_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# Schema "represents a select subset of an OpenAPI 3.0 schema object" (type, format, description,
# nullable, enum, items, properties, required, anyOf, minimum, maximum, ... : googleapis.github.io/
# js-genai/release_docs/interfaces/types.Schema.html): no additionalProperties, $ref, oneOf or a
# JSON type list. langchain-google-genai drops what the subset lacks, with a warning, and reads a
# type list as STRING, so both are checked on its output.
GEMINI_TYPES = {
    "string": genai.Type.STRING, "number": genai.Type.NUMBER, "integer": genai.Type.INTEGER,
    "boolean": genai.Type.BOOLEAN, "array": genai.Type.ARRAY, "object": genai.Type.OBJECT,
}  # fmt: skip


def gemini_problems(decl: genai.FunctionDeclaration) -> list[str]:
    name = decl.name or ""
    out = []
    if not GEMINI_NAME.match(name) or not decl.description:
        out.append(f"{name!r}: a name matching {GEMINI_NAME.pattern} and a description are needed")
    params = decl.parameters
    if params is None or params.type != genai.Type.OBJECT:
        return [*out, f"{name}: parameters must be an OBJECT schema"]
    props = params.properties or {}
    if set(params.required or []) != _required(name):
        out.append(f"{name}: required {sorted(params.required or [])} != {sorted(_required(name))}")
    for arg, want in _arg_types(name).items():
        got = props.get(arg)
        if not GEMINI_PARAM.match(arg):
            out.append(f"{name}.{arg}: not a valid Gemini parameter name")
        if got is None or got.type != GEMINI_TYPES[want]:
            out.append(f"{name}.{arg}: sent as {got and got.type}, the argument is {want}")
            continue
        if got.enum and (got.type != genai.Type.STRING or not all(isinstance(v, str) for v in got.enum)):
            out.append(f"{name}.{arg}: Gemini enums are strings")
        if arg not in _required(name) and not got.nullable:
            out.append(f"{name}.{arg}: optional but not nullable")
    return out


# ---------------------------------------------------------------- Ollama

# The ollama client validates every tool with its own model before sending it (``_copy_tools``:
# ``Tool.model_validate``); a property keeps only ``type``, ``items``, ``description`` and
# ``enum`` (ollama-python ``_types.Tool.Function.Parameters.Property``; the server's api.ToolProperty
# has the same fields), so an ``anyOf`` arrives as a property with no type at all.


def ollama_problems(tool: Mapping[str, Any]) -> list[str]:
    sent = OllamaTool.model_validate(tool).model_dump(exclude_none=True, by_alias=True)
    fn = sent.get("function") or {}
    name, params = fn.get("name", ""), fn.get("parameters") or {}
    out = []
    if params.get("type") != "object" or set(params.get("required") or []) != _required(name):
        out.append(f"{name}: parameters must be an object requiring exactly {sorted(_required(name))}")
    props = params.get("properties") or {}
    for arg, want in _arg_types(name).items():
        got = props.get(arg) or {}
        kinds = got.get("type")
        kinds = set(kinds) if isinstance(kinds, list) else {kinds}
        if want not in kinds or not got.get("description"):
            out.append(f"{name}.{arg}: arrives as {got} (the argument is {want}, with a description)")
    return out


# ---------------------------------------------------------------- the tests


def test_every_tool_is_accepted_by_openai() -> None:
    tools = _bind(ChatOpenAI(model="gpt-4o-mini", api_key="sk-test"), "openai")  # type: ignore[arg-type]
    assert [t["function"]["name"] for t in tools] == list(TOOL_NAMES)
    assert [p for t in tools for p in openai_problems(t, strict=False)] == []


def test_every_tool_is_accepted_by_openai_in_strict_mode() -> None:
    tools = _bind(ChatOpenAI(model="gpt-4o-mini", api_key="sk-test"), "openai", strict=True)  # type: ignore[arg-type]
    assert len(tools) == len(TOOL_NAMES)
    assert [p for t in tools for p in openai_problems(t, strict=True)] == []


def test_every_tool_is_accepted_by_gemini(caplog: pytest.LogCaptureFixture) -> None:
    model = ChatGoogleGenerativeAI(model="gemini-2.5-flash", google_api_key="test")  # type: ignore[call-arg]
    with caplog.at_level(logging.WARNING, logger="langchain_google_genai"):
        # what ChatGoogleGenerativeAI._prepare_request does with the bound tools
        (tool,) = convert_to_genai_function_declarations(_bind(model, "gemini"))
    dropped = [r.getMessage() for r in caplog.records if "not supported" in r.getMessage()]
    assert dropped == []  # nothing outside Gemini's subset was sent
    decls = tool.function_declarations or []
    assert [d.name for d in decls] == list(TOOL_NAMES)
    assert [p for d in decls for p in gemini_problems(d)] == []


def test_every_tool_is_accepted_by_ollama() -> None:
    tools = _bind(ChatOllama(model="llama3.1"), "ollama")
    assert [t["function"]["name"] for t in tools] == list(TOOL_NAMES)
    assert [p for t in tools for p in ollama_problems(t)] == []


def test_a_schema_a_provider_would_reject_is_caught() -> None:
    """The checks themselves: pydantic's own schema of an Args model (``default``, ``anyOf``,
    ``maxLength``), bound as is, is what each provider would reject or mangle."""
    raw = StructuredTool.from_function(
        func=lambda **kw: kw,
        name="update_transaction",
        description="Correct a transaction.",
        args_schema=REGISTRY["update_transaction"].args,
        infer_schema=False,
    )
    strict = ChatOpenAI(model="gpt-4o-mini", api_key="sk-test").bind_tools([raw], strict=True)  # type: ignore[arg-type]
    found = openai_problems(strict.kwargs["tools"][0], strict=True)  # type: ignore[attr-defined]
    assert any("'default'" in p for p in found) and any("maxLength" in p for p in found)
    ollama = ChatOllama(model="llama3.1").bind_tools([raw])
    assert any(
        p.startswith("update_transaction.amount: arrives as") for p in ollama_problems(ollama.kwargs["tools"][0])
    )  # type: ignore[attr-defined]
    bad_name = {"type": "function", "function": {"name": "log expense!", "parameters": {"type": "object"}}}
    assert openai_problems(bad_name, strict=False)
