"""Safe by default: the access token, CSRF protection, and the headers of every response.

* Token: when one is set (required off loopback), every request carries it, in an
  ``Authorization: Bearer`` header or in the cookie a ``?token=`` login sets; compared in
  constant time. Without it: 401, and nothing of the project is shown.
* CSRF: double-submit. A random value in a SameSite=Strict cookie, repeated in a hidden field
  of every form (or the ``X-CSRF-Token`` header of the live-score request); a POST without it,
  or with another value, is refused with 403.
* Headers: a Content-Security-Policy that allows the page's own files only (no inline script,
  no inline style, no request elsewhere), and no framing, sniffing, referrer or caching.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

TOKEN_COOKIE = "gatekeeper_token"
CSRF_COOKIE = "gatekeeper_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
CSP = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MIN_TOKEN_LENGTH = 16

Next = Callable[[Request], Awaitable[Response]]


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison; nothing given is never equal."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


class SecurityMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, token: str | None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.token = token

    async def dispatch(self, request: Request, call_next: Next) -> Response:
        response = await self._checked(request, call_next)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _checked(self, request: Request, call_next: Next) -> Response:
        if self.token is None:
            return await call_next(request)
        login = request.query_params.get("token")
        if login is not None:
            return self._login(request, login)
        if same(_bearer(request), self.token) or same(
            request.cookies.get(TOKEN_COOKIE), self.token
        ):
            return await call_next(request)
        return PlainTextResponse(
            "gatekeeper serve: this server needs its access token: open it with ?token=TOKEN "
            "or send Authorization: Bearer TOKEN\n", status_code=401,
        )

    def _login(self, request: Request, login: str) -> Response:
        """``?token=``: the cookie, and the same address without the token in it."""
        if not same(login, self.token or ""):
            return PlainTextResponse("gatekeeper serve: wrong token\n", status_code=401)
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(TOKEN_COOKIE, login, httponly=True, samesite="strict")
        return response


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF value, and whether it is new (then the response sets the cookie)."""
    value = request.cookies.get(CSRF_COOKIE)
    if value and len(value) >= MIN_TOKEN_LENGTH:
        return value, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, value: str) -> None:
    response.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="strict")


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """The value submitted with a POST is the one in the browser's cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return cookie is not None and len(cookie) >= MIN_TOKEN_LENGTH and same(submitted, cookie)
