"""A follow-up's meaning for the answer model: its own and its conversation's, equally."""

from __future__ import annotations

import numpy as np

from footnote.rewrite import followup_vector


def test_a_follow_ups_vector_is_its_own_meaning_and_its_conversations_equally() -> None:
    standalone, own = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    vector = followup_vector(standalone, own)
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert np.isclose(vector @ standalone, vector @ own) and vector @ own > 0.7
    assert not vector @ np.array([0.0, 0.0, 1.0])
