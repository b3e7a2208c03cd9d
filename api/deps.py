"""Request dependencies as ``Annotated`` aliases, so routes declare what they use."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from api.service import Footnote


def get_footnote(request: Request) -> Footnote:
    return cast(Footnote, request.app.state.footnote)


FootnoteDep = Annotated[Footnote, Depends(get_footnote)]
