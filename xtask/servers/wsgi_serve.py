"""Serve one WSGI application on a loopback port with a small threaded server.

Usage: python wsgi_serve.py HOST PORT MODULE:ATTRIBUTE [-- ARGUMENTS FOR THE APPLICATION]

Keystone, Watcher and Monasca read their configuration with oslo.config, which parses
``sys.argv`` while the application is imported. So this script takes its own arguments off
``sys.argv`` first and leaves only what follows ``--`` (for example ``--config-file FILE``)
for the application to see. Only the standard library is used.
"""

import importlib
import socketserver
import sys
from wsgiref import simple_server


class ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    """A wsgiref server that answers each connection on its own thread."""

    daemon_threads = True
    allow_reuse_address = True
    # Room for tests that connect in parallel (the default backlog is 5).
    request_queue_size = 64


def split_arguments(argv):
    """Return (own arguments, arguments for the application)."""
    if "--" in argv:
        cut = argv.index("--")
        return argv[1:cut], argv[cut + 1:]
    return argv[1:], []


def load(target):
    """Import ``module:attribute`` and return the attribute."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute or "application")


def main():
    own, for_app = split_arguments(sys.argv)
    if len(own) != 3:
        sys.exit(__doc__)
    host, port, target = own[0], int(own[1]), own[2]
    sys.argv = [sys.argv[0]] + for_app
    application = load(target)
    server = simple_server.make_server(
        host, port, application, server_class=ThreadingWSGIServer
    )
    print(f"serving {target} on http://{host}:{port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
