"""GET /health/: database, Redis and a live Celery worker; 503 when any of them is down."""

import datetime

from django.conf import settings
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


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
        return response
