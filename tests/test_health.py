"""/health/ reports database, Redis and a live Celery worker, and answers 503 when the worker is gone; anyone but a
signed-in administrator gets only "up" or "down"."""

import pytest

from tests.workers import celery_worker

pytestmark = [pytest.mark.django_db, pytest.mark.celery]


@pytest.fixture
def celery_worker_process():
    yield from celery_worker("health-test", pool="solo")


def test_health_is_ok_with_a_live_worker_and_503_without(client, celery_worker_process):
    # Anyone: up or down, nothing about the components.
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.content == b"up\n"
    from tests.factories import make_user

    admin = make_user("admin", is_staff=True, is_superuser=True)
    district_officer = make_user("district")
    client.force_login(district_officer)
    assert client.get("/health/", HTTP_ACCEPT="application/json").content == b"up\n"
    # A signed-in administrator sees each component.
    client.force_login(admin)
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert all(value == "OK" for value in body.values()), body
    assert any(key.startswith("Database") for key in body) and any(key.startswith("Redis") for key in body)

    celery_worker_process.terminate()
    celery_worker_process.wait(timeout=30)
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "Celery" in next(value for key, value in response.json().items() if key.startswith("Ping"))
    client.logout()
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response.content == b"down\n"
