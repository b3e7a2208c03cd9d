"""The request limits an operator configures, enforced in one place before any work is done.

The request models carry fixed ceilings; the configured limits (``FOOTNOTE_MAX_*``) may only be
lower. They are checked here, with a message naming the setting; ``api.openapi`` writes them into
the OpenAPI schema, so a client generated from ``/openapi.json`` knows what this server enforces.
"""

from __future__ import annotations

from collections.abc import Sequence

from footnote.errors import BadQuestion
from footnote.rewrite import Turn
from footnote.settings import Settings


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
