"""Where a store is and who we are to it: the endpoint URL, checked; the credentials, from the environment
or a netrc file; and the paths of stancegraph's graphs in a store.

Layout in the store::

    <base>graph/registry              the registry (actors, proposals, conditions)
    <base>graph/source/<id>           one graph per source
    <https://w3id.org/stancegraph/ns> the vocabulary (stancegraph.ttl), shared by every dataset
    <base>graph/stancegraph-meta      one triple per graph pushed:
                                      <graph> sg:contentHash "sha256:…"
"""

from __future__ import annotations

import base64
import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from stancegraph.graph.errors import StancegraphError

REGISTRY_SUFFIX = "graph/registry"
SOURCE_INFIX = "graph/source/"
META_SUFFIX = "graph/stancegraph-meta"

#: where the Graph Store endpoint of common stores is, for messages (docs/stores.md has more)
ENDPOINT_PATHS = ("Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: /repositories/REPO/rdf-graphs/service, "
                  "Virtuoso: /sparql-graph-crud")


class SettingsError(StancegraphError):
    """The endpoint or the credentials are set up wrongly (a usage problem, not a remote one)."""


# --------------------------------------------------------------------------------------------------
# Credentials


@dataclass(frozen=True)
class Credentials:
    """An ``Authorization`` header value and where it came from; the secret never shows in a repr."""

    header: str = field(repr=False)
    origin: str
    #: for HTTP Digest, when the server asks for it (Basic credentials only)
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)


def credentials_for(endpoint: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials for ``endpoint``, from the environment or a netrc file; ``None`` when there are none.

    In order: ``STANCEGRAPH_TOKEN`` (sent as a Bearer token), ``STANCEGRAPH_USER`` with
    ``STANCEGRAPH_PASSWORD`` (HTTP Basic), then the ``machine`` entry of the endpoint's host in the file
    named by ``NETRC`` or ``~/.netrc``. Never from the command line, where it would land in shell history.
    """
    env = os.environ if environ is None else environ
    token = env.get("STANCEGRAPH_TOKEN")
    user, password = env.get("STANCEGRAPH_USER"), env.get("STANCEGRAPH_PASSWORD")
    if token:
        if user or password:
            raise SettingsError("set either STANCEGRAPH_TOKEN or STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, not both")
        return Credentials(f"Bearer {token}", "STANCEGRAPH_TOKEN")
    if user or password:
        if not (user and password is not None):
            missing = "STANCEGRAPH_PASSWORD" if user else "STANCEGRAPH_USER"
            raise SettingsError(f"{missing} is not set; set both STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, or neither")
        return Credentials(_basic(user, password), "STANCEGRAPH_USER/STANCEGRAPH_PASSWORD", user, password)
    host = urlsplit(endpoint).hostname or ""
    path = env.get("NETRC") or str(Path(env.get("HOME") or Path.home()) / ".netrc")
    if not Path(path).is_file():
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise SettingsError(f"cannot read the netrc file {path}: {exc}") from None
    if entry is None:
        return None
    login, _account, secret = entry
    if not login:
        return None
    return Credentials(_basic(login, secret or ""), f"netrc file {path}", login, secret or "")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------------------------------
# The endpoint


def check_endpoint(endpoint: str) -> str:
    """The endpoint URL, checked: http(s), a host, no credentials in it. Raises :class:`SettingsError`."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{endpoint!r} is not an http:// or https:// URL of a store endpoint, "
                            "e.g. http://localhost:7878/store")
    if parts.username or parts.password:
        raise SettingsError("the endpoint URL holds credentials; take them out of the URL (it lands in shell "
                            "history and logs) and set STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, "
                            "STANCEGRAPH_TOKEN, or a netrc entry instead")
    if parts.fragment:
        raise SettingsError(f"{endpoint!r}: an endpoint URL has no #fragment")
    try:
        parts.port
    except ValueError:
        raise SettingsError(f"{endpoint!r}: the port is not a number") from None
    return endpoint


