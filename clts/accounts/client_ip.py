"""The client's IP address, trusting X-Forwarded-For only as far as our own proxies add to it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address lockout and the access log use.

    Behind PROXY_COUNT proxies of our own, each appends the address it saw to X-Forwarded-For, so the client is
    the PROXY_COUNT-th entry from the right; anything further left was written by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY or settings.PROXY_COUNT < 1:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < settings.PROXY_COUNT:
        return remote
    return hops[-settings.PROXY_COUNT]
