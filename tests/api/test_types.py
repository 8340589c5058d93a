"""GET /api/v1/types/{type}: the playbook card for a customer type, per language."""

from fastapi.testclient import TestClient


def test_type_card_in_both_languages(client: TestClient) -> None:
    zh = client.get("/api/v1/types/power", params={"lang": "zh"}).json()
    en = client.get("/api/v1/types/power", params={"lang": "en"}).json()
    assert (zh["name"], en["name"]) == ("权力型", "Power")
    assert zh["feedback"]["style"] == en["feedback"]["style"] == "summary"
    assert len(en["phrasings"]) >= 8
    assert {item["code"] for item in en["avoid"]} >= {"wastes_time", "vague_goal"}
    assert (en["directness"], en["orientation"]) == (1.0, -1.0)


def test_unknown_type_or_language_is_refused(client: TestClient) -> None:
    assert client.get("/api/v1/types/angry").status_code == 422
    assert client.get("/api/v1/types/power", params={"lang": "fr"}).status_code == 422
