"""The README's example and configuration table are checked against the code."""

from __future__ import annotations

import json
import re

import httpx

from footnote.settings import PROJECT_ROOT, settings_table

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_configuration_table_is_current() -> None:
    assert settings_table() in README, "regenerate it with: .venv/bin/python -m footnote.settings"


def test_readme_curl_example_answers_as_shown(client: httpx.Client) -> None:
    request = json.loads(re.search(r"-d '(\{.*\})'", README).group(1))  # type: ignore[union-attr]
    shown = json.loads(re.search(r"```json\n(.*?)\n```", README, re.S).group(1))  # type: ignore[union-attr]
    live = client.post("/chat", json=request).json()
    assert live["answer"] == shown["answer"]
    assert live["abstained"] == shown["abstained"]
    strip = [{k: v for k, v in c.items() if k != "score"} for c in live["citations"]]
    assert strip == [{k: v for k, v in c.items() if k != "score"} for c in shown["citations"]]
