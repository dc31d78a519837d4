"""GET /health/: database, Redis and a live Celery worker; 503 when any of them is down.

Anyone may ask whether the portal is up (load balancers, uptime monitors): they get "up" or "down" and nothing else.
Which component failed, and why, is shown only to a signed-in administrator: it names hosts and versions.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from clts.accounts.roles import Role


def _sees_details(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)


class Health(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        (Redis, {"client_factory": lambda: RedisClient.from_url(settings.REDIS_URL)}),
        (Ping, {"timeout": datetime.timedelta(seconds=2)}),
    )

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        # Load balancers and compose health checks read 503 as "take me out of service"; the package says 500.
        if response.status_code == 500:
            response.status_code = 503
        if not _sees_details(await request.auser()):
            up = response.status_code == 200
            response = HttpResponse("up\n" if up else "down\n", content_type="text/plain", status=response.status_code)
            response["Cache-Control"] = "no-store"
        patch_vary_headers(response, ["Cookie"])
        return response
