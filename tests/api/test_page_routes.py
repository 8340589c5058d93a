"""Every page route, table-driven: hostile path ids, query values and form fields get a clear
4xx, never a 500 (schemathesis covers /api/v1; the pages are outside the schema)."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.conftest import Account, FakeRasa, add_account
from tests.api.test_review_pages import session_for

HOSTILE = [
    "²",  # isdigit() says yes, int() says no
    "①",
    "１２",  # full-width digits
    "9223372036854775808",  # beyond 64 bits
    "99999999999999999999999999",
    "-1",
    "+1",
    "1_0",
    " 1",
    "abc",
    "%00",
    "\u0000",
    "<script>alert(1)</script>",
    "x" * 5000,
    "1e3",
]
SKIPPED = ("/api/", "/openapi", "/docs", "/redoc", "/static", "/slack")


def page_routes(app: object) -> list[APIRoute]:
    return [route for route in all_routes(app.routes) if not route.path.startswith(SKIPPED)]  # type: ignore[attr-defined]


def all_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's routes, those of included routers too (FastAPI keeps those nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += all_routes(route.original_router.routes)
    return found


def params_of(dependant: Dependant, kind: str) -> list[Any]:
    """The route's parameters of one kind, its dependencies' included."""
    found = list(getattr(dependant, kind))
    for sub in dependant.dependencies:
        found += [param for param in params_of(sub, kind) if param not in found]
    return found


def requests_for(route: APIRoute) -> Iterator[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(method, url, query, form) for each hostile value in each parameter of the route."""
    path_names = [param.name for param in params_of(route.dependant, "path_params")]
    queries = [param.alias for param in params_of(route.dependant, "query_params")]
    forms = [
        param.alias
        for param in params_of(route.dependant, "body_params")
        if param.alias != "csrf_token"
    ]
    method = sorted(route.methods or {"GET"})[0]

    def url(values: dict[str, str]) -> str:
        return re.sub(
            r"\{(\w+)\}", lambda m: quote(values.get(m.group(1), "1"), safe=""), route.path
        )

    for value in HOSTILE:
        for name in path_names:
            yield method, url({name: value}), {}, {}
        for name in queries:
            yield method, url({}), {name: value}, {}
        for name in forms:
            yield method, url({}), {}, {name: value}


@pytest.fixture
def admin(settings: Settings) -> Account:
    return add_account(settings.database_url, "boss", "admin")


@pytest.mark.parametrize("role", ["admin", "trainee"])
def test_no_page_answers_500(
    client: TestClient, fake_rasa: FakeRasa, admin: Account, trainee: Account, role: str
) -> None:
    web, csrf = session_for(client, admin if role == "admin" else trainee)
    routes = page_routes(client.app)
    assert len(routes) >= 15, [route.path for route in routes]
    tried = 0
    for method, url, query, form in (r for route in routes for r in requests_for(route)):
        if method == "GET":
            response = web.get(url, params=query, follow_redirects=False)
        else:
            response = web.post(
                url, params=query, data={"csrf_token": csrf, **form}, follow_redirects=False
            )
        tried += 1
        assert response.status_code < 500, (method, url, query, form, response.text[:300])
    assert tried > 500
