"""The OpenAPI schema as this server enforces it: the configured limits and the modes it has.

``footnote.limits`` enforces the configured limits (``FOOTNOTE_MAX_*``); here they replace the
request models' fixed ceilings in the schema, so a client generated from ``/openapi.json`` knows
them. The URL and file-name ceilings are HTTP's own and live here.
"""

from __future__ import annotations

from typing import Any

from footnote.answering.modes import available_modes
from footnote.settings import Settings

# uvicorn refuses a request line over 64 KB with a plain-text 400 before any route sees it. A
# query parameter of 4,000 characters fits even percent-encoded at 12 bytes a character (a
# four-byte UTF-8 character is %XX four times), so every URL the schema allows is answered.
MAX_QUERY_PARAM = 4_000
MAX_FILE_NAME = 255  # the longest file name common file systems store


def _constrain(prop: dict[str, Any], key: str, value: int) -> None:
    """Sets ``key`` on the property, or on each of its ``anyOf`` variants that has it."""
    variants = prop.get("anyOf", [prop])
    for variant in variants:
        if key in variant:
            variant[key] = min(variant[key], value)


def document(schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The OpenAPI schema with the configured limits in place of the models' ceilings, and
    the answer modes this server has in place of all there are."""
    models = schema.get("components", {}).get("schemas", {})
    text, messages = settings.max_question_chars, settings.max_messages
    for model, field, key, value in [
        ("ChatRequest", "question", "maxLength", text),
        ("ChatRequest", "messages", "maxItems", messages),
        ("ChatRequest", "top_k", "maximum", settings.max_top_k),
        ("Message", "content", "maxLength", text),
        ("ChatCompletionRequest", "messages", "maxItems", messages),
        ("OpenAIMessage", "content", "maxLength", text),
    ]:
        prop = models.get(model, {}).get("properties", {}).get(field)
        if prop is not None:
            _constrain(prop, key, value)
    mode = models.get("ChatRequest", {}).get("properties", {}).get("mode", {})
    for variant in mode.get("anyOf", [mode]):
        if "enum" in variant:  # only the modes this server has a backend for
            variant["enum"] = list(available_modes(settings))
    return schema
