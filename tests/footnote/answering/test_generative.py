"""How an LLM backend's failures are told apart: by what caused them, never by class name."""

from __future__ import annotations

import httpx

from footnote.answering.generative import backend_error
from footnote.errors import BackendTimeout, BackendUnavailable, BadQuestion


class ClientGaveUp(Exception):
    """A client library's own error, as ``openai.APITimeoutError`` wraps httpx's."""


class TimeoutLookingName(Exception):
    """Named like a timeout, caused by none."""


def _raised_from(cause: Exception) -> ClientGaveUp:
    try:
        raise ClientGaveUp("request failed") from cause
    except ClientGaveUp as error:
        return error


def test_a_timeout_anywhere_in_the_cause_chain_is_a_timeout() -> None:
    error = backend_error(_raised_from(httpx.ReadTimeout("slow")))
    assert isinstance(error, BackendTimeout) and error.retryable and error.status == 504
    assert isinstance(backend_error(TimeoutError("socket")), BackendTimeout)


def test_anything_else_is_an_unavailable_backend_whatever_its_name() -> None:
    error = backend_error(TimeoutLookingName("refused"))
    assert isinstance(error, BackendUnavailable) and error.retryable and error.status == 502
    assert isinstance(backend_error(_raised_from(ConnectionRefusedError())), BackendUnavailable)


def test_a_users_mistake_is_not_worth_retrying() -> None:
    assert not BadQuestion("empty").retryable
    assert backend_error(BadQuestion("empty")).status == 422
