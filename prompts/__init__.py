"""Prompt and message templates, kept as files so they can be read and changed without code."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>``, stripped of its trailing newline."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8").rstrip("\n")
