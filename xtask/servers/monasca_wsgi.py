"""The Monasca API as a WSGI module: ``monasca_wsgi:application``.

Monasca builds its application with a factory that needs the directory holding
``monasca-api.conf`` and ``api-config.ini``; it is taken from ``OPSCLIENT_MONASCA_CONFIG_DIR``.
Log entries go to the file named by ``OPSCLIENT_MONASCA_LOG_FILE`` (see monasca_log_sink.py).
"""

import os

import monasca_log_sink
from monasca_api.api import server

monasca_log_sink.install(os.environ["OPSCLIENT_MONASCA_LOG_FILE"])

application = server.get_wsgi_app(
    config_base_path=os.environ["OPSCLIENT_MONASCA_CONFIG_DIR"]
)
