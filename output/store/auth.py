"""HTTP Digest authentication (RFC 7616, MD5 and SHA-256, qop=auth), for stores such as Virtuoso's
``/sparql-graph-crud-auth``. Only what a client needs: answer a challenge, count the nonce uses."""

from __future__ import annotations

import hashlib
import os
import re
import urllib.request

_ALGORITHMS = {"MD5": hashlib.md5, "MD5-SESS": hashlib.md5, "SHA-256": hashlib.sha256,
               "SHA-256-SESS": hashlib.sha256}


def parse_challenge(challenge: str) -> dict[str, str]:
    """The parameters of a ``WWW-Authenticate: Digest …`` header, names lower-cased."""
    rest = challenge.split(None, 1)[1] if " " in challenge.strip() else ""
    return {k.lower(): v for k, v in urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)).items()}


class Digest:
    """Answers to one Digest challenge; :meth:`header` gives the ``Authorization`` value of a request."""

    def __init__(self, user: str, password: str, challenge: str):
        self.user = user
        self.password = password
        params = parse_challenge(challenge)
        self.realm = params.get("realm", "")
        self.nonce = params.get("nonce", "")
        self.opaque = params.get("opaque")
        algorithm = params.get("algorithm", "MD5").upper()
        if algorithm not in _ALGORITHMS:
            algorithm = "MD5"
        self.algorithm = algorithm
        qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        self.qop = "auth" if "auth" in qops else None
        self.count = 0

    def _h(self, text: str) -> str:
        return _ALGORITHMS[self.algorithm](text.encode("utf-8")).hexdigest()

    def header(self, method: str, uri: str) -> str:
        self.count += 1
        nc = f"{self.count:08x}"
        cnonce = os.urandom(8).hex()
        ha1 = self._h(f"{self.user}:{self.realm}:{self.password}")
        if self.algorithm.endswith("-SESS"):
            ha1 = self._h(f"{ha1}:{self.nonce}:{cnonce}")
        ha2 = self._h(f"{method}:{uri}")
        if self.qop:
            response = self._h(f"{ha1}:{self.nonce}:{nc}:{cnonce}:{self.qop}:{ha2}")
        else:
            response = self._h(f"{ha1}:{self.nonce}:{ha2}")
        parts = [f'username="{_quoted(self.user)}"', f'realm="{_quoted(self.realm)}"', f'nonce="{_quoted(self.nonce)}"',
                 f'uri="{_quoted(uri)}"', f'response="{response}"', f"algorithm={self.algorithm}"]
        if self.opaque is not None:
            parts.append(f'opaque="{_quoted(self.opaque)}"')
        if self.qop:
            parts += [f"qop={self.qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(parts)


def _quoted(value: str) -> str:
    return re.sub(r'(["\\])', r"\\\1", value)
