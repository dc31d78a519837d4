from tests.access_matrix import ALL, Route

ROUTES = [
    Route("portal:home", allowed=ALL),
    Route("accounts:login", allowed=ALL, public=True, anonymous=(200,), ok=(302,)),
    Route("accounts:logout", allowed=ALL, method="post", ok=(302,)),
    Route("accounts:password-change", allowed=ALL),
    Route(
        "accounts:language-set",
        allowed=ALL,
        method="post",
        data=lambda w: {"language": "en"},
        ok=(302,),
        public=True,
        anonymous=(302,),
    ),
    Route("audit:log", allowed=frozenset({"admin"})),
    Route("health", allowed=ALL, public=True, anonymous=(200, 503), ok=(200, 503)),
]
