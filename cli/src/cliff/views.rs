//! The columns of watcherclient's commands and their labels (`watcherclient/v1/resource_fields.py`
//! of python-watcherclient 4.11, with every field the newest API version has).

use super::{Adjust, View};

const fn list(fields: &'static [(&'static str, &'static str)]) -> View {
    View {
        fields,
        one: false,
        adjust: Adjust::Nothing,
    }
}

const fn one(fields: &'static [(&'static str, &'static str)]) -> View {
    View {
        fields,
        one: true,
        adjust: Adjust::Nothing,
    }
}

const AUDIT_TEMPLATE_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("created_at", "Created At"),
    ("updated_at", "Updated At"),
    ("deleted_at", "Deleted At"),
    ("description", "Description"),
    ("name", "Name"),
    ("goal_name", "Goal"),
    ("strategy_name", "Strategy"),
    ("scope", "Audit Scope"),
    ("default_parameters", "Default Parameters"),
];
/// `audittemplate show`, `create`, `update`.
pub const AUDIT_TEMPLATE: View = one(AUDIT_TEMPLATE_FIELDS);
/// `audittemplate list --detail`.
pub const AUDIT_TEMPLATE_DETAIL: View = list(AUDIT_TEMPLATE_FIELDS);
/// `audittemplate list`.
pub const AUDIT_TEMPLATE_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("goal_name", "Goal"),
    ("strategy_name", "Strategy"),
]);

const AUDIT_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("created_at", "Created At"),
    ("updated_at", "Updated At"),
    ("deleted_at", "Deleted At"),
    ("state", "State"),
    ("audit_type", "Audit Type"),
    ("parameters", "Parameters"),
    ("interval", "Interval"),
    ("goal_name", "Goal"),
    ("strategy_name", "Strategy"),
    ("scope", "Audit Scope"),
    ("auto_trigger", "Auto Trigger"),
    ("next_run_time", "Next Run Time"),
    ("hostname", "Hostname"),
    ("start_time", "Start Time"),
    ("end_time", "End Time"),
    ("force", "Force"),
    ("status_message", "Status Message"),
];
/// `audit show`, `create`, `update`.
pub const AUDIT: View = View {
    fields: AUDIT_FIELDS,
    one: true,
    adjust: Adjust::AutoStrategy,
};
/// `audit list --detail`.
pub const AUDIT_DETAIL: View = View {
    fields: AUDIT_FIELDS,
    one: false,
    adjust: Adjust::AutoStrategy,
};
/// `audit list`.
pub const AUDIT_SHORT: View = View {
    fields: &[
        ("uuid", "UUID"),
        ("name", "Name"),
        ("audit_type", "Audit Type"),
        ("state", "State"),
        ("goal_name", "Goal"),
        ("strategy_name", "Strategy"),
        ("auto_trigger", "Auto Trigger"),
    ],
    one: false,
    adjust: Adjust::AutoStrategy,
};

const ACTION_PLAN_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("created_at", "Created At"),
    ("updated_at", "Updated At"),
    ("deleted_at", "Deleted At"),
    ("audit_uuid", "Audit"),
    ("strategy_name", "Strategy"),
    ("state", "State"),
    ("efficacy_indicators", "Efficacy indicators"),
    ("global_efficacy", "Global efficacy"),
    ("hostname", "Hostname"),
    ("status_message", "Status Message"),
];
/// `actionplan show`, `start`, `update`, `cancel`.
pub const ACTION_PLAN: View = one(ACTION_PLAN_FIELDS);
/// `actionplan list --detail`.
pub const ACTION_PLAN_DETAIL: View = list(ACTION_PLAN_FIELDS);
/// `actionplan list`.
pub const ACTION_PLAN_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("audit_uuid", "Audit"),
    ("state", "State"),
    ("updated_at", "Updated At"),
    ("global_efficacy", "Global efficacy"),
]);

const ACTION_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("created_at", "Created At"),
    ("updated_at", "Updated At"),
    ("deleted_at", "Deleted At"),
    ("parents", "Parents"),
    ("state", "State"),
    ("action_plan_uuid", "Action Plan"),
    ("action_type", "Action"),
    ("input_parameters", "Parameters"),
    ("description", "Description"),
    ("status_message", "Status Message"),
];
/// `action show`, `update`.
pub const ACTION: View = one(ACTION_FIELDS);
/// `action list --detail`.
pub const ACTION_DETAIL: View = list(ACTION_FIELDS);
/// `action list`.
pub const ACTION_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("parents", "Parents"),
    ("state", "State"),
    ("action_plan_uuid", "Action Plan"),
    ("action_type", "Action"),
]);

const GOAL_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("display_name", "Display name"),
    ("efficacy_specification", "Efficacy specification"),
];
/// `goal show`.
pub const GOAL: View = one(GOAL_FIELDS);
/// `goal list --detail`.
pub const GOAL_DETAIL: View = list(GOAL_FIELDS);
/// `goal list`.
pub const GOAL_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("display_name", "Display name"),
]);

const STRATEGY_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("display_name", "Display name"),
    ("goal_name", "Goal"),
    ("parameters_spec", "Parameters spec"),
];
/// `strategy show`: the parameters' specification as indented JSON.
pub const STRATEGY: View = View {
    fields: STRATEGY_FIELDS,
    one: true,
    adjust: Adjust::ParametersSpec,
};
/// `strategy list --detail`.
pub const STRATEGY_DETAIL: View = list(STRATEGY_FIELDS);
/// `strategy list`.
pub const STRATEGY_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("display_name", "Display name"),
    ("goal_name", "Goal"),
]);
/// `strategy state`.
pub const STRATEGY_STATE: View = View {
    fields: &[
        ("type", "Type"),
        ("state", "State"),
        ("mandatory", "Mandatory"),
        ("comment", "Comment"),
    ],
    one: false,
    adjust: Adjust::StateAsJson,
};

const SERVICE_FIELDS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("name", "Name"),
    ("host", "Host"),
    ("status", "Status"),
    ("last_seen_up", "Last seen up"),
];
/// `service show`.
pub const SERVICE: View = one(SERVICE_FIELDS);
/// `service list --detail`.
pub const SERVICE_DETAIL: View = list(SERVICE_FIELDS);
/// `service list`.
pub const SERVICE_SHORT: View = list(&[
    ("id", "ID"),
    ("name", "Name"),
    ("host", "Host"),
    ("status", "Status"),
]);

const SCORING_ENGINE_FIELDS: &[(&str, &str)] = &[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("description", "Description"),
    ("metainfo", "Metainfo"),
];
/// `scoringengine show`.
pub const SCORING_ENGINE: View = one(SCORING_ENGINE_FIELDS);
/// `scoringengine list --detail`.
pub const SCORING_ENGINE_DETAIL: View = list(SCORING_ENGINE_FIELDS);
/// `scoringengine list`.
pub const SCORING_ENGINE_SHORT: View = list(&[
    ("uuid", "UUID"),
    ("name", "Name"),
    ("description", "Description"),
]);
