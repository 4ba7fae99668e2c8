"""An HTTP(S) client for one store endpoint: one kept-alive connection, credentials sent, timeouts, redirects
refused, transient failures retried, and every failure told as a :class:`StoreError` naming the endpoint and
the object of the request.

Only the standard library is used (http.client, ssl): one kept-alive connection per push.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from stancegraph.graph.errors import StancegraphError

from .settings import ENDPOINT_PATHS, Credentials, SettingsError, check_endpoint

USER_AGENT = "stancegraph"
REPLY_LIMIT = 300  # characters of a server's reply quoted in a message


class StoreError(StancegraphError):
    """A store could not be reached, or refused a request. The message names the endpoint and the graph."""

    def __init__(self, message: str, *, endpoint: str = "", graph: str = "", status: int | None = None,
                 passing: bool = False):
        super().__init__(message)
        self.endpoint = endpoint
        self.graph = graph
        self.status = status
        #: whether the cause may go away by itself (server down, timeout, 429, 5xx): worth trying again later
        self.passing = passing


@dataclass
class Reply:
    """What a server answered, read whole (replies of a store are small: a status, a graph, a message)."""

    status: int
    reason: str
    body: bytes
    content_type: str
    retry_after: str | None = None


@dataclass
class RequestLog:
    """What a client sent, for tests: one ``(method, graph IRI)`` per request that got a reply, and how
    many times a request was tried again."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    retries: int = 0


class HttpEndpoint:
    """One HTTP(S) endpoint, one kept-alive connection, and retries for transient errors.

    Transient failures (connection refused or reset, timeouts, HTTP 429 and 5xx but 501 and 505) are
    retried up to ``retries`` times, waiting ``backoff`` seconds, then twice as long each time (at most
    ``max_backoff``, or what a ``Retry-After`` header asks within that bound). Any other 4xx fails at once.
    HTTPS certificates are always verified (against ``ca_bundle`` when given, else the system's).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        credentials: Credentials | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.endpoint = check_endpoint(endpoint)
        parts = urlsplit(endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._url_path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._path = (parts.path or "/") + (f"?{parts.query}&" if parts.query else "?")
        self.credentials = credentials
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._context: ssl.SSLContext | None = None
        if self._https:
            try:
                self._context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
            except (OSError, ssl.SSLError) as exc:
                raise SettingsError(f"cannot use the CA bundle {ca_bundle}: {exc}") from None
        self._conn: http.client.HTTPConnection | None = None
        self.log = RequestLog()

    # -- plumbing --------------------------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        if self._conn is not None:
            return self._conn, True
        if self._https:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=self._context)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        self._conn = conn
        return conn, False

    def _once(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        conn, reused = self._connection()
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # the server closed a kept-alive connection while it was idle: one fresh try, not a retry
            conn, _ = self._connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except BaseException:
                self.close()
                raise
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return Reply(response.status, response.reason or "", data, response.getheader("Content-Type") or "",
                     response.getheader("Retry-After"))

    def send(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        what: str,
        graph: str | None = None,
        ok_statuses: Iterable[int] = (),
    ) -> Reply:
        """Send one request to ``target`` (path and query), retrying transient failures; raise :class:`StoreError`.

        ``what`` names the object of the request in messages ("the graph of source 'x'"), ``graph`` its
        IRI. A 2xx reply, or one of ``ok_statuses``, is returned; anything else raises.
        """
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.credentials is not None:
            headers["Authorization"] = self.credentials.header
        allowed = set(ok_statuses)
        attempt = 0
        while True:
            status: int | None = None
            retry_after: float | None = None
            try:
                reply = self._once(method, target, body, headers)
            except ssl.SSLCertVerificationError as exc:
                raise self._error(method, what, f"the server's TLS certificate is not trusted ({exc.verify_message}); "
                                  "if the server uses a private certificate authority, pass its certificate with "
                                  "--ca-bundle FILE", graph) from None
            except ssl.SSLError as exc:
                raise self._error(method, what, f"TLS failed: {exc}", graph) from None
            except socket.gaierror as exc:
                raise self._error(method, what, f"cannot resolve the host {self._host!r} ({exc.strerror}); "
                                  "check the endpoint URL", graph) from None
            except TimeoutError:
                reason = f"no reply within {self.timeout:g} s (timed out)"
            except ConnectionRefusedError:
                reason = "connection refused (is the server running, and is this its address and port?)"
            except (OSError, http.client.HTTPException) as exc:
                reason = _describe(exc)
            else:
                status = reply.status
                if 200 <= status < 300 or status in allowed:
                    self.log.requests.append((method, str(graph)))
                    return reply
                reason = f"HTTP {status} {reply.reason}".rstrip() + _quote_reply(reply)
                if status == 401:
                    raise self._error(method, what, reason + _auth_hint(self.credentials), graph, status)
                if 300 <= status < 400:
                    raise self._error(method, what, reason + "; the server redirects: use the URL it redirects "
                                      "to as the endpoint", graph, status)
                if not _passing(status):
                    raise self._error(method, what, reason + _status_hint(status), graph, status)
                retry_after = _retry_after(reply.retry_after)
            if attempt >= self.retries:
                tries = f" (tried {attempt + 1} times)" if attempt else ""
                raise self._error(method, what, reason + tries, graph, status, passing=True)
            delay = min(self.max_backoff, self.backoff * (2 ** attempt))
            if retry_after is not None:
                delay = min(self.max_backoff, max(delay, retry_after))
            attempt += 1
            self.log.retries += 1
            self._sleep(delay)

    def _error(self, method: str, what: str, reason: str, graph: str | None, status: int | None = None, *,
               passing: bool = False) -> StoreError:
        return StoreError(f"{self.endpoint}: {method} of {what} failed: {reason}",
                          endpoint=self.endpoint, graph=str(graph or ""), status=status, passing=passing)


def _passing(status: int) -> bool:
    """Whether an HTTP status may go away by itself: 429 (too many requests) and 5xx but 501 and 505."""
    return status == 429 or (500 <= status < 600 and status not in (501, 505))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without a reply"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset by the server"
    if isinstance(exc, BrokenPipeError):
        return "the server closed the connection while the request was being sent"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return " ".join(str(exc).split()) or type(exc).__name__


def _quote_reply(reply: Reply) -> str:
    text = " ".join(reply.body.decode("utf-8", "replace").split())
    if not text or "html" in reply.content_type.lower():
        return ""
    if len(text) > REPLY_LIMIT:
        text = text[:REPLY_LIMIT].rstrip() + "…"
    return f": the server says: {text}"


def _auth_hint(credentials: Credentials | None) -> str:
    if credentials is None:
        return ("; the store wants credentials: set STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, or "
                "STANCEGRAPH_TOKEN, or add the host to your netrc file")
    return f"; the store refused the credentials from {credentials.origin}"


def _status_hint(status: int) -> str:
    return {
        403: "; the credentials are not allowed to write here",
        404: f"; is the URL the store's Graph Store endpoint? {ENDPOINT_PATHS}",
        405: "; is the URL the store's Graph Store endpoint, and is the store writable?",
        413: "; the store refuses a payload this large",
        415: "; the store does not accept N-Triples here",
    }.get(status, "")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None

