"""`POST /slack/events`: every Slack request (commands, interactivity, Events API) lands here.

Mounted only when the Slack secrets are configured; bolt checks each request's signature.
"""

from typing import cast

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

from api.deps import AdmissionDep, DatabaseDep, RasaDep, SettingsDep

router = APIRouter(tags=["slack"])


@router.post("/slack/events", include_in_schema=False)
async def slack_events(
    request: Request,
    rasa: RasaDep,
    db: DatabaseDep,
    settings: SettingsDep,
    admission: AdmissionDep,
) -> Response:
    handler = cast(AsyncSlackRequestHandler, request.app.state.slack_handler)
    context = {"rasa": rasa, "db": db, "settings": settings, "admission": admission}
    return await handler.handle(request, addition_context_properties=context)
