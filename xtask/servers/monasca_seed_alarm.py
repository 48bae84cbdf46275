"""Create one alarm for an alarm definition, as monasca-thresh and monasca-persister would.

Usage: python monasca_seed_alarm.py --config-file MONASCA_API_CONF ALARM_DEFINITION_ID

Monasca API only reads alarms: monasca-thresh creates them when metrics match a definition,
and monasca-persister stores their state transitions in InfluxDB. Neither runs with the test
servers, so this script does their part for one alarm, in the layout Monasca API reads:
- in the SQL database, the alarm (state ALARM) with its metric (name and dimensions taken from
  the definition's sub-expression), the metric definition rows and one sub-alarm per
  sub-expression;
- in InfluxDB, one transition UNDETERMINED -> ALARM in ``alarm_state_history``.
It prints the new alarm's id.
"""

import argparse
import configparser
import datetime
import hashlib
import json
import sys
import urllib.parse
import urllib.request
import uuid

import sqlalchemy
from monasca_api.common.repositories.sqla import models
from monasca_influx_publisher import escape_key, quote_field


def settings(path):
    """The database URL, the InfluxDB write URL and the region from monasca-api.conf."""
    conf = configparser.RawConfigParser(strict=False)
    if not conf.read(path):
        sys.exit(f"cannot read {path}")
    influx = conf["influxdb"]
    query = urllib.parse.urlencode({"db": influx["database_name"], "precision": "ms"})
    write_url = f"http://{influx['ip_address']}:{influx['port']}/write?{query}"
    region = conf.get("DEFAULT", "region", fallback="RegionOne")
    return conf["database"]["connection"], write_url, region


def digest(*parts):
    """A stable 20-byte id, like the SHA-1 ids Monasca's own writers use."""
    return hashlib.sha1("\0".join(parts).encode("utf-8")).digest()


def load_definition(connection, tables, definition_id):
    """The definition row and its sub-expressions, each with its dimensions."""
    ad, sad, sadd = tables["alarm_definition"], tables["sub_alarm_definition"], tables[
        "sub_alarm_definition_dimension"]
    definition = connection.execute(
        sqlalchemy.select(ad).where(ad.c.id == definition_id).where(ad.c.deleted_at.is_(None))
    ).mappings().first()
    if definition is None:
        sys.exit(f"no alarm definition {definition_id}")
    subs = []
    for sub in connection.execute(
        sqlalchemy.select(sad).where(sad.c.alarm_definition_id == definition_id)
    ).mappings():
        dimensions = {
            row["dimension_name"]: row["value"]
            for row in connection.execute(
                sqlalchemy.select(sadd).where(sadd.c.sub_alarm_definition_id == sub["id"])
            ).mappings()
        }
        subs.append((dict(sub), dimensions))
    if not subs:
        sys.exit(f"alarm definition {definition_id} has no sub-expression")
    return dict(definition), subs


def expression_text(sub, dimensions):
    """The sub-expression as monasca-thresh writes it into ``sub_alarm.expression``."""
    where = ",".join(f"{k}={v}" for k, v in sorted(dimensions.items()))
    target = f"{sub['metric_name']}{{{where}}}" if where else sub["metric_name"]
    return f"{sub['function'].lower()}({target}) {sub['operator'].lower()} {sub['threshold']}"


def insert_alarm(connection, tables, definition, subs, region):
    """Insert the alarm and its rows; returns its id and its metrics."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    alarm_id = str(uuid.uuid4())
    tenant = definition["tenant_id"]
    connection.execute(tables["alarm"].insert().values(
        id=alarm_id, alarm_definition_id=definition["id"], state="ALARM",
        lifecycle_state="OPEN", link="http://example.invalid/alarm",
        created_at=now, state_updated_at=now, updated_at=now))
    metrics = []
    for sub, dimensions in subs:
        name = sub["metric_name"]
        definition_row = digest(name, tenant, region)
        dimension_set = digest(*[f"{k}={v}" for k, v in sorted(dimensions.items())])
        link_row = digest(definition_row.hex(), dimension_set.hex())
        mde, md, mdd = (tables["metric_definition"], tables["metric_dimension"],
                        tables["metric_definition_dimensions"])
        if connection.execute(sqlalchemy.select(mde.c.id).where(mde.c.id == definition_row)).first() is None:
            connection.execute(mde.insert().values(
                id=definition_row, name=name, tenant_id=tenant, region=region))
        if connection.execute(
                sqlalchemy.select(md.c.name).where(md.c.dimension_set_id == dimension_set)).first() is None:
            for key, value in sorted(dimensions.items()):
                connection.execute(md.insert().values(dimension_set_id=dimension_set, name=key, value=value))
        if connection.execute(sqlalchemy.select(mdd.c.id).where(mdd.c.id == link_row)).first() is None:
            connection.execute(mdd.insert().values(
                id=link_row, metric_definition_id=definition_row, metric_dimension_set_id=dimension_set))
        connection.execute(tables["alarm_metric"].insert().values(
            alarm_id=alarm_id, metric_definition_dimensions_id=link_row))
        connection.execute(tables["sub_alarm"].insert().values(
            id=str(uuid.uuid4()), alarm_id=alarm_id, sub_expression_id=sub["id"],
            expression=expression_text(sub, dimensions), created_at=now, updated_at=now))
        metrics.append({"id": None, "name": name, "dimensions": dimensions})
    return alarm_id, metrics


def write_transition(write_url, tenant, alarm_id, subs, metrics):
    """Store the alarm's transition UNDETERMINED -> ALARM as the persister would."""
    sub_alarms = [
        {
            "sub_alarm_expression": {
                "function": sub["function"],
                "metric_definition": {"name": sub["metric_name"], "dimensions": dimensions},
                "operator": sub["operator"],
                "threshold": sub["threshold"],
                "period": sub["period"],
                "periods": sub["periods"],
                "deterministic": bool(sub["is_deterministic"]),
            },
            "sub_alarm_state": "ALARM",
            "current_values": [sub["threshold"] + 1.0],
        }
        for sub, dimensions in subs
    ]
    fields = {
        "metrics": json.dumps(metrics),
        "new_state": "ALARM",
        "old_state": "UNDETERMINED",
        "reason": "Thresholds were exceeded for the sub-alarms",
        "reason_data": "{}",
        "sub_alarms": json.dumps(sub_alarms),
    }
    field_text = ",".join(f"{key}={quote_field(value)}" for key, value in fields.items())
    now_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
    line = (f"alarm_state_history,tenant_id={escape_key(tenant)},alarm_id={escape_key(alarm_id)} "
            f"{field_text} {now_ms}")
    request = urllib.request.Request(write_url, data=line.encode("utf-8"), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", required=True)
    parser.add_argument("alarm_definition_id")
    args = parser.parse_args()
    database_url, write_url, region = settings(args.config_file)
    engine = sqlalchemy.create_engine(database_url)
    tables = models.get_all_metadata().tables
    with engine.begin() as connection:
        definition, subs = load_definition(connection, tables, args.alarm_definition_id)
        alarm_id, metrics = insert_alarm(connection, tables, definition, subs, region)
    write_transition(write_url, definition["tenant_id"], alarm_id, subs, metrics)
    print(alarm_id)


if __name__ == "__main__":
    main()
