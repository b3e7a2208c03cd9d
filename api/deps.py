"""Request dependencies as ``Annotated`` aliases, so routes declare what they use."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from footnote.service import Footnote
from ingest.library import Library


def get_footnote(request: Request) -> Footnote:
    return cast(Footnote, request.app.state.footnote)


def get_library(request: Request) -> Library:
    return cast(Library, request.app.state.library)


FootnoteDep = Annotated[Footnote, Depends(get_footnote)]
LibraryDep = Annotated[Library, Depends(get_library)]
