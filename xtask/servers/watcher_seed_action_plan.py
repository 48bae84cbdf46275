"""Insert a RECOMMENDED Watcher action plan for an existing audit.

Usage: python watcher_seed_action_plan.py --config-file WATCHER_CONF AUDIT_UUID

Without Nova the decision engine cannot build the compute model, so audits end FAILED and never
produce an action plan. This script writes one through Watcher's own database API instead: a
plan in state RECOMMENDED for the audit, with three chained actions nop -> sleep(1 s) -> nop
that the real applier can execute once the plan is started. It prints the plan's UUID.
"""

import sys

from watcher.common import context as watcher_context
from watcher.common import service
from watcher.db import api as db_api


def strategy_for(dbapi, context, audit):
    """The audit's strategy, or else the first strategy of the audit's goal."""
    if audit.strategy_id is not None:
        return audit.strategy_id
    strategies = dbapi.get_strategy_list(context, filters={"goal_id": audit.goal_id})
    if not strategies:
        sys.exit(f"no strategy for the goal of audit {audit.uuid}")
    return strategies[0].id


def main():
    if len(sys.argv) < 2 or sys.argv[-1].startswith("-"):
        sys.exit(__doc__)
    audit_uuid = sys.argv[-1]
    service.prepare_service(sys.argv[:-1])
    dbapi = db_api.get_instance()
    context = watcher_context.make_context(is_admin=True)
    audit = dbapi.get_audit_by_uuid(context, audit_uuid)
    plan = dbapi.create_action_plan(
        {
            "audit_id": audit.id,
            "strategy_id": strategy_for(dbapi, context, audit),
            "state": "RECOMMENDED",
            "global_efficacy": [],
        }
    )
    steps = [
        ("nop", {"message": "opsclient seeded action plan: first step"}),
        ("sleep", {"duration": 1.0}),
        ("nop", {"message": "opsclient seeded action plan: last step"}),
    ]
    parents = []
    for action_type, parameters in steps:
        action = dbapi.create_action(
            {
                "action_plan_id": plan.id,
                "action_type": action_type,
                "input_parameters": parameters,
                "state": "PENDING",
                "parents": parents,
            }
        )
        parents = [action.uuid]
    print(plan.uuid)


if __name__ == "__main__":
    main()
