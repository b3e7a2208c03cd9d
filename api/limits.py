"""The request limits an operator configures: enforced in one place, stated in the schema.

The request models carry fixed ceilings; the configured limits (``FOOTNOTE_MAX_*``) may only be
lower. They are checked here, with a message naming the setting, and written into the OpenAPI
schema, so a client generated from ``/openapi.json`` knows the limits this server enforces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.answering.modes import available_modes
from api.rewrite import Turn
from footnote.errors import BadQuestion
from footnote.settings import Settings

# uvicorn refuses a request line over 64 KB with a plain-text 400 before any route sees it. A
# query parameter of 4,000 characters fits even percent-encoded at 12 bytes a character (a
# four-byte UTF-8 character is %XX four times), so every URL the schema allows is answered.
MAX_QUERY_PARAM = 4_000
MAX_FILE_NAME = 255  # the longest file name common file systems store


def check(settings: Settings, turns: Sequence[Turn], top_k: int | None) -> None:
    """Refuses a chat over the configured limits; nothing is retrieved or generated first."""
    if len(turns) > settings.max_messages:
        raise BadQuestion(
            f"The chat has {len(turns)} messages; this server takes at most "
            f"{settings.max_messages} (FOOTNOTE_MAX_MESSAGES): send only the recent turns."
        )
    for turn in turns:
        if len(turn.content) > settings.max_question_chars:
            raise BadQuestion(
                f"A message has {len(turn.content):,} characters; this server takes at most "
                f"{settings.max_question_chars:,} (FOOTNOTE_MAX_QUESTION_CHARS): shorten it."
            )
    if top_k is not None and top_k > settings.max_top_k:
        raise BadQuestion(
            f"top_k is {top_k}; this server retrieves at most {settings.max_top_k} passages "
            "(FOOTNOTE_MAX_TOP_K)."
        )


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
