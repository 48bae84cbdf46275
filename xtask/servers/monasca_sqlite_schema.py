"""Create Monasca API's database in sqlite.

Usage: python monasca_sqlite_schema.py DATABASE_FILE

Monasca's migrations are written for MySQL only, so the tables are built from Monasca's own
table models instead. Two things the migrations would otherwise do are added:
- the notification method types EMAIL, WEBHOOK and PAGERDUTY;
- triggers that turn text stored as BLOB back into TEXT. Monasca writes some strings as UTF-8
  bytes (MySQL stores them as text either way); sqlite would keep them as BLOBs and Monasca's
  reads would then fail on ``bytes``.
"""

import sys

import sqlalchemy
from monasca_api.common.repositories.sqla import models

NOTIFICATION_METHOD_TYPES = ("EMAIL", "WEBHOOK", "PAGERDUTY")


def text_triggers(table):
    """SQL for the AFTER INSERT and AFTER UPDATE triggers of one table, if it has text."""
    columns = [c.name for c in table.columns if isinstance(c.type, sqlalchemy.String)]
    if not columns:
        return []
    assignments = ", ".join(
        f'"{c}" = CASE WHEN typeof("{c}") = \'blob\' THEN CAST("{c}" AS TEXT) ELSE "{c}" END'
        for c in columns
    )
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table.name}_text_after_{event.lower()}" '
        f'AFTER {event} ON "{table.name}" BEGIN '
        f'UPDATE "{table.name}" SET {assignments} WHERE rowid = NEW.rowid; END'
        for event in ("INSERT", "UPDATE")
    ]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    engine = sqlalchemy.create_engine(f"sqlite:///{sys.argv[1]}")
    metadata = models.get_all_metadata()
    metadata.create_all(engine)
    types = metadata.tables["notification_method_type"]
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            for statement in text_triggers(table):
                connection.execute(sqlalchemy.text(statement))
        present = {row[0] for row in connection.execute(sqlalchemy.select(types.c.name))}
        for name in NOTIFICATION_METHOD_TYPES:
            if name not in present:
                connection.execute(types.insert().values(name=name))
    print(f"monasca schema ready in {sys.argv[1]}")


if __name__ == "__main__":
    main()
