"""``vanthu web [ROOT]``: serve the web page of the records staff (:mod:`vanthu.web.app`)
with uvicorn until Ctrl-C.

It listens on loopback unless told otherwise, and says where at start; a host that is not
loopback gets a warning (anyone on the network may then close tasks). The port is bound
here, before uvicorn starts, so that a port in use is a clear ``PortInUse`` error (exit 2),
and a ROOT without a store is an ``InputNotFound`` naming ``ROOT/vanthu.db`` (exit 3).
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import tempfile
from pathlib import Path

from vanthu.pipeline.errors import ExitCode, InputNotFound, UsageError
from vanthu.pipeline.i18n import N_, _

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


class PortInUse(UsageError):
    """The address the web page should listen on is taken (or not this machine's)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; a taken port is a ``PortInUse`` error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}", _("unknown host name: {reason}").format(reason=exc.strerror)) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        where = f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                where,
                _("the port is already in use (is vanthu web already running?)"),
                hint=N_("choose another one with --port"),
            ) from None
        raise PortInUse(where, _("cannot listen here: {reason}").format(reason=exc.strerror or exc)) from None
    sock.set_inheritable(True)
    return sock


def banner(host: str, port: int) -> list[str]:
    """What ``vanthu web`` says at start: where it serves, and who can reach it."""
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    if is_loopback(host):
        return [
            _("vanthu web: serving {url} (only this computer; use --host 0.0.0.0 to share on the network)").format(
                url=url
            )
        ]
    return [
        _("vanthu web: serving {url} (on the network: other computers open {shared})").format(
            url=url, shared=f"http://{socket.gethostname() if host in ('0.0.0.0', '::') else shown}:{port}"
        ),
        _(
            "vanthu web: warning: anyone who can reach this computer on {host} can read the letters"
            " and close tasks; there is no login"
        ).format(host=host),
    ]


def cmd_web(root: Path, *, store: str | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve the web page until Ctrl-C."""
    import uvicorn

    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.settings import explicit_language
    from vanthu.web.app import WebConfig, create_app

    if not 0 < port < 65536:
        raise UsageError(f"--port {port}", _("a port is a number from 1 to 65535"))
    if store is None and not (root / "vanthu.db").is_file():
        raise InputNotFound(
            root / "vanthu.db",
            _("no task store here, so no letters to show"),
            hint=N_("run `vanthu watch ROOT` first, or pass --store URL"),
        )
    url = store or default_url(root)
    open_store(url).close()  # a store that cannot be opened is its error now, not at the first page
    lang = explicit_language() or "vi"
    sock = bind(host, port)
    for line in banner(host, port):
        print(line, file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="vanthu-web-") as cache:  # the page images, removed at the end
        config = WebConfig(store_url=url, root=root, lang=lang, cache=Path(cache))
        server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False))
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
    return int(ExitCode.OK)
