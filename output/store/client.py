"""An HTTP(S) client for one store endpoint: one kept-alive connection, credentials sent, timeouts, redirects
refused, transient failures retried, and every failure told as a :class:`StoreError` naming the endpoint and
the object of the request.

Only the standard library is used (http.client, ssl): one kept-alive connection per push.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from stancegraph.graph.errors import StancegraphError

from .auth import Digest
from .settings import ENDPOINT_PATHS, Credentials, SettingsError, check_endpoint

USER_AGENT = "stancegraph"
REPLY_LIMIT = 300  # characters of a server's reply quoted in a message
MAX_REPLY = 512 * 1024 * 1024  # bytes of a reply read at most (--max-reply)
MAX_REDIRECTS = 5
HTML_HINT = ("The URL is probably a server's home page or a login page, not its SPARQL or Graph Store endpoint: "
             "pass the server's base URL (e.g. http://localhost:7878) and let stancegraph find the endpoints, "
             f"or the endpoint itself ({ENDPOINT_PATHS})")


class ReplyTooLarge(Exception):
    def __init__(self, size: int | None):
        super().__init__(size)
        self.size = size


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
    location: str | None = None
    www_authenticate: str = ""
    server: str = ""


@dataclass
class RequestLog:
    """What a client sent, for tests: one ``(method, graph IRI)`` per request that got a reply, and how
    many times a request was tried again."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    retries: int = 0
    #: the URLs redirects led to
    redirects: list[str] = field(default_factory=list)


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
        max_reply: int = MAX_REPLY,
        on_retry: Callable[[str], None] | None = None,
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
        self.max_reply = max_reply
        self.on_retry = on_retry
        self._digest: Digest | None = None
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
        self._conn = self._new_connection(self._https, self._host, self._port)
        return self._conn, False

    def _new_connection(self, https: bool, host: str, port: int | None) -> http.client.HTTPConnection:
        if https:
            context = self._context or ssl.create_default_context()
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=context)
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def _exchange(self, conn: http.client.HTTPConnection, method: str, target: str, body: bytes | None,
                  headers: dict[str, str]) -> tuple[Reply, bool]:
        """One request and its whole reply, within ``timeout`` seconds for all of it (a deadline, not a
        bound on each read: a server trickling a byte at a time is cut off), and at most ``max_reply`` bytes."""
        fired = threading.Event()
        held: list[socket.socket] = []  # the reply's socket: a reply that closes the connection takes it from conn

        def cut() -> None:
            fired.set()
            sock = held[0] if held else conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(self.timeout, cut)
        timer.daemon = True
        timer.start()
        try:
            conn.request(method, target, body=body, headers=headers)
            if conn.sock is not None:
                held.append(conn.sock)
            response = conn.getresponse()
            length = response.getheader("Content-Length")
            if length and length.strip().isdigit() and int(length) > self.max_reply:
                response.close()
                conn.close()
                raise ReplyTooLarge(int(length))
            chunks, total = [], 0
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                total += len(chunk)
                if total > self.max_reply:
                    response.close()
                    conn.close()
                    raise ReplyTooLarge(None)
                chunks.append(chunk)
            if fired.is_set():
                raise TimeoutError
        except ReplyTooLarge:
            raise
        except (OSError, http.client.HTTPException):
            if fired.is_set():
                raise TimeoutError from None
            raise
        finally:
            timer.cancel()
            if fired.is_set():  # cut off: nothing of this connection is used again
                conn.close()
                for sock in held:
                    sock.close()
        reply = Reply(response.status, response.reason or "", b"".join(chunks),
                      response.getheader("Content-Type") or "", response.getheader("Retry-After"),
                      response.getheader("Location"), response.getheader("WWW-Authenticate") or "",
                      response.getheader("Server") or "")
        return reply, bool(response.will_close)

    def _once(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        conn, reused = self._connection()
        try:
            reply, close = self._exchange(conn, method, target, body, headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # the server closed a kept-alive connection while it was idle: one fresh try, not a retry
            conn, _ = self._connection()
            try:
                reply, close = self._exchange(conn, method, target, body, headers)
            except BaseException:
                self.close()
                raise
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return reply

    def _authorization(self, method: str, target: str) -> str | None:
        if self.credentials is None:
            return None
        if self._digest is not None:
            return self._digest.header(method, target)
        return self.credentials.header

    def _follow(self, method: str, reply: Reply, body: bytes | None, headers: dict[str, str],
                what: str, graph: str | None) -> Reply:
        """Follow the redirects of a safe request (GET, HEAD; any method for 307 and 308), at most
        ``MAX_REDIRECTS``; credentials go only to the endpoint's own scheme, host and port."""
        origin = (self._https, self._host, self._port)
        url = urlunsplit(("https" if self._https else "http", _netloc(self._host, self._port), "/", "", ""))
        for _ in range(MAX_REDIRECTS):
            if not (300 <= reply.status < 400 and reply.location):
                return reply
            if method not in ("GET", "HEAD") and reply.status not in (307, 308):
                return reply
            url = urljoin(url, reply.location)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise self._error(method, what, f"the server redirects to {reply.location!r}, which is not "
                                  "an http(s) URL", graph, reply.status)
            if self._https and parts.scheme == "http":
                raise self._error(method, what, f"the server redirects from https:// to plain {url}; refused "
                                  "(use that URL as the endpoint if you trust it)", graph, reply.status)
            here = (parts.scheme == "https", parts.hostname, parts.port)
            sent = dict(headers)
            if here != origin:
                sent.pop("Authorization", None)  # never carry credentials to another host
            conn = self._new_connection(*here)
            try:
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                reply, _ = self._exchange(conn, method, target, body, sent)
            finally:
                conn.close()
            self.log.redirects.append(url)
        return reply

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
        IRI. A 2xx reply, or one of ``ok_statuses``, is returned; anything else raises. A reply that is
        a web page (HTML) is never taken for a store's answer.
        """
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        allowed = set(ok_statuses)
        attempt = 0
        digest_tried = False
        while True:
            status: int | None = None
            retry_after: float | None = None
            authorization = self._authorization(method, target)
            if authorization is not None:
                headers["Authorization"] = authorization
            try:
                reply = self._once(method, target, body, headers)
                if 300 <= reply.status < 400:
                    reply = self._follow(method, reply, body, headers, what, graph)
            except ReplyTooLarge as exc:
                size = f" ({exc.size:,} bytes)" if exc.size else ""
                raise self._error(method, what, f"the reply is larger than the limit of {self.max_reply:,} bytes"
                                  f"{size}; it was not read. Raise the limit with --max-reply MB if this is "
                                  "expected, or check the endpoint URL", graph) from None
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
                reason = f"no whole reply within {self.timeout:g} s (timed out)"
            except ConnectionRefusedError:
                reason = "connection refused (is the server running, and is this its address and port?)"
            except (OSError, http.client.HTTPException) as exc:
                reason = _describe(exc)
            else:
                status = reply.status
                html = _html_title(reply)
                if (200 <= status < 300 or status in allowed) and html is None:
                    self.log.requests.append((method, str(graph)))
                    return reply
                if html is not None and (200 <= status < 300 or status in allowed):
                    raise self._error(method, what, f"the server answered HTTP {status} with a web page (HTML{html}) "
                                      f"instead of a store's reply. {HTML_HINT}", graph, status)
                reason = f"HTTP {status} {reply.reason}".rstrip() + _quote_reply(reply)
                if status == 401:
                    challenge = reply.www_authenticate
                    if (challenge.lower().startswith("digest") and self.credentials is not None
                            and self.credentials.user is not None and not digest_tried):
                        self._digest = Digest(self.credentials.user, self.credentials.password or "", challenge)
                        digest_tried = True
                        continue
                    raise self._error(method, what, reason + _auth_hint(self.credentials), graph, status)
                if 300 <= status < 400:
                    raise self._error(method, what, reason + "; the server redirects (a write is not redirected): "
                                      f"use the URL it redirects to as the endpoint ({reply.location})", graph, status)
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
            if self.on_retry is not None:
                self.on_retry(f"{method} of {what} failed ({reason}); trying again in {delay:g} s "
                              f"(try {attempt + 1} of {self.retries + 1})")
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


def _netloc(host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def _html_title(reply: Reply) -> str | None:
    """``None`` when the reply is no web page; else ``", titled '…'"`` (or ``""`` without a title)."""
    head = reply.body[:4096].lstrip().lower()
    if not head:
        return None
    if not (head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
            or ("html" in reply.content_type.lower() and b"<" in head[:1])):
        return None
    match = re.search(rb"<title[^>]*>(.*?)</title", reply.body[:65536], re.I | re.S)
    if not match:
        return ""
    title = " ".join(match.group(1).decode("utf-8", "replace").split())[:120]
    return f", titled {title!r}" if title else ""


def _quote_reply(reply: Reply) -> str:
    html = _html_title(reply)
    if html is not None:
        return f" (a web page{html})"
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

