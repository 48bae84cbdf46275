"""A Monasca messaging driver that writes metrics straight to InfluxDB.

Monasca API publishes every POSTed metric to Kafka, where monasca-persister would pick it up
and write it to InfluxDB. For the test servers there is no Kafka and no persister: this driver
(``[messaging] driver = monasca_influx_publisher:InfluxPublisher``) does the persister's
part in-line, so metrics can be read back at once. Messages for other topics (alarm
definition events, alarm state transitions) have no reader here and are dropped.

The layout is the persister's: measurement = metric name; tags = the dimensions plus
``_tenant_id`` and ``_region``; fields ``value`` and ``value_meta`` (JSON text); time in ms.
"""

import json
import urllib.parse
import urllib.request

from monasca_api.common.messaging import exceptions
from monasca_api.common.messaging import publisher
from oslo_config import cfg


def escape_key(text):
    """Escape a measurement, tag key or tag value for the line protocol."""
    for special in ("\\", ",", " ", "="):
        text = text.replace(special, "\\" + special)
    return text


def quote_field(text):
    """Quote a string field value for the line protocol."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_line(envelope):
    """One line of line protocol for one Monasca metric envelope."""
    if isinstance(envelope, (str, bytes)):
        envelope = json.loads(envelope)
    metric = envelope["metric"]
    meta = envelope.get("meta", {})
    tags = dict(metric.get("dimensions") or {})
    tags["_tenant_id"] = meta.get("tenantId", "")
    tags["_region"] = meta.get("region", "")
    tag_text = "".join(
        f",{escape_key(str(key))}={escape_key(str(value))}"
        for key, value in sorted(tags.items())
        if value != ""
    )
    value_meta = json.dumps(metric.get("value_meta") or {})
    fields = f"value={float(metric['value'])!r},value_meta={quote_field(value_meta)}"
    return f"{escape_key(metric['name'])}{tag_text} {fields} {int(metric['timestamp'])}"


class InfluxPublisher(publisher.Publisher):
    """Publisher for one topic; only the metrics topic is written anywhere."""

    def __init__(self, topic):
        self._writes = topic == cfg.CONF.kafka.metrics_topic
        influx = cfg.CONF.influxdb
        query = urllib.parse.urlencode({"db": influx.database_name, "precision": "ms"})
        self._url = f"http://{influx.ip_address}:{influx.port}/write?{query}"

    def send_message(self, message):
        if not self._writes:
            return
        envelopes = message if isinstance(message, list) else [message]
        body = "\n".join(to_line(envelope) for envelope in envelopes).encode("utf-8")
        request = urllib.request.Request(self._url, data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except Exception as error:  # any failure means the metrics were not stored
            raise exceptions.MessageQueueException(
                f"writing {len(envelopes)} metric(s) to InfluxDB failed: {error}"
            )
