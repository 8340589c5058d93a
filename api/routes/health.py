"""Liveness and readiness probes for `make run`, the tests and load balancers."""

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import RasaDep
from api.schemas import ComponentReport, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The API process is up (says nothing about Rasa)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(rasa: RasaDep) -> JSONResponse:
    """Ready when Rasa answers with a model loaded and the action server answers."""
    rasa_status, actions_status = await asyncio.gather(
        rasa.rasa_status(), rasa.action_server_status()
    )
    components = {
        "rasa": ComponentReport(ok=rasa_status.ok, detail=rasa_status.detail),
        "action_server": ComponentReport(ok=actions_status.ok, detail=actions_status.detail),
    }
    ready = all(report.ok for report in components.values())
    body = Readiness(status="ready" if ready else "not ready", components=components)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
