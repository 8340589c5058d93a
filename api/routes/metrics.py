"""Queue depth, turns in flight and wait times in Prometheus' text format.

Scraped by nothing by default; answered only to callers on this machine (a Prometheus
agent next to the API), since the figures describe the deployment's load.
"""

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import PlainTextResponse

from api.deps import AdmissionDep

router = APIRouter(include_in_schema=False)
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@router.get("/metrics")
async def metrics(request: Request, admission: AdmissionDep) -> PlainTextResponse:
    if request.client is None or request.client.host not in LOOPBACK:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    return PlainTextResponse(admission.metrics(), media_type="text/plain; version=0.0.4")
