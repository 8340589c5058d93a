"""Typed dependencies for the routes; tests replace them with `app.dependency_overrides`."""

from typing import Annotated, cast

from fastapi import Depends, Request

from api.db.database import Database
from api.rasa_client import RasaClient
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def get_rasa_client(request: Request) -> RasaClient:
    return cast(RasaClient, request.app.state.rasa_client)


def get_database(request: Request) -> Database:
    return cast(Database, request.app.state.database)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa_client)]
DatabaseDep = Annotated[Database, Depends(get_database)]
