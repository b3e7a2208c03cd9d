"""Argument types for the ``footnote`` command: a number out of range is refused by argparse
with the range, in one line, before anything is loaded."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` (to ``high``), refused with its range."""
    bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"give a whole number {bounds}, not {text!r}")
        return value

    return parse


def whole_list(low: int, high: int | None = None) -> Callable[[str], list[int]]:
    """An argparse type: comma-separated whole numbers, each checked as :func:`whole` does."""
    one = whole(low, high)
    return lambda text: [one(part.strip()) for part in text.split(",")]


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0, not {text!r}")
    return value


TOP_K = whole(1, 50)  # the bounds of FOOTNOTE_TOP_K and of a request's top_k
