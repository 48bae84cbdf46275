//! The one table of the APIs opsclient knows. Everything per API that is not the document or
//! `src/<module>/` is read from here: `build.rs` generates the clients of the enabled features,
//! the CLI's `build.rs` generates its commands, dispatch, `--wait` list and table columns,
//! `cargo xtask` builds each feature alone, and tests check the README's feature table, Cargo's
//! features, the surface snapshots and the command tree against it.

/// One API: its document, its place in the library and its place in the command-line tool.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// Module name and generated file name, e.g. `sensu`.
    pub name: &'static str,
    /// The cargo feature that enables it.
    pub feature: &'static str,
    /// What the feature gives, for the README's feature table.
    pub feature_about: &'static str,
    /// The document, relative to the crate root.
    pub spec: &'static str,
    /// The library module that holds the generated client, below `opsclient::`, e.g.
    /// `openstack::keystone`. Its first segment is the module the feature adds.
    pub module: &'static str,
    /// The client's inner type: `Clone + Debug + AsRef<crate::transport::Transport>`.
    pub inner: &'static str,
    /// How list operations page, if they do.
    pub paging: Option<Paging>,
    /// Its commands in the command-line tool.
    pub cli: Cli,
}

impl Api {
    /// The library module's path, e.g. `opsclient::openstack::keystone`.
    pub fn library_path(&self) -> String {
        format!("opsclient::{}", self.module)
    }

    /// The module the feature adds to the library, e.g. `opsclient::openstack`.
    pub fn feature_module(&self) -> String {
        let top = self.module.split("::").next().unwrap_or(self.module);
        format!("opsclient::{top}")
    }
}

/// An API's subcommand of the command-line tool (`opsclient <name> <operation>`).
#[derive(Debug, Clone, Copy)]
pub struct Cli {
    /// The subcommand's name.
    pub name: &'static str,
    /// Its one-line help, naming the variables it reads.
    pub about: &'static str,
    /// How the tool makes a client.
    pub connect: Connect,
    /// The operations `--wait` follows to their end (operation ids). The tool's
    /// `cli/src/wait.rs` has a method named after the API that knows how; a test checks that it
    /// follows exactly these.
    pub waits: &'static [&'static str],
    /// The usual columns of the API's resource kinds in `--output table`, as the API's own
    /// command-line tool shows them.
    pub columns: &'static [Columns],
    /// How its request bodies name their resource, if the tool fills names in.
    pub body_names: Option<BodyNames>,
}

/// How the command-line tool makes an API's client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// From the API's own variables and options: `cli/src/connect.rs` has `<name>_args` (adds
    /// the options) and `<name>` (makes the client, as a `Connection` that keeps what it must
    /// once the command has run).
    Own,
    /// Through an OpenStack cloud (`--os-cloud`, `OS_*`, `--os-*`); `--url` is the endpoint of
    /// `service` in the catalog. The client implements the tool's `FromCloud`.
    OpenStack {
        /// The catalog's service type, e.g. `infra-optim`.
        service: &'static str,
    },
}

/// The columns a table shows for some resource kinds (schema names), and where its rows come
/// from.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// The schemas, e.g. `AuditCollection`, `Audit`.
    pub kinds: &'static [&'static str],
    /// The columns, in order.
    pub columns: &'static [Column],
    /// What one row is.
    pub rows: Rows,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its header, e.g. `LAST SEEN`. `-c` takes it too, in any case, with `-`, `_` or a space
    /// between its words.
    pub header: &'static str,
    /// The dotted field path, e.g. `metadata.name`; through a list it takes the field of each
    /// element (`metrics.name`). [`Column::REST`] stands for the zipped fields not shown by
    /// another column (see [`Rows::Zipped`]).
    pub path: &'static str,
    /// How its cells are shown.
    pub show: Show,
}

impl Column {
    /// The path that stands for every zipped field no other column shows, each its own
    /// column headed by its name.
    pub const REST: &'static str = "*";

    /// A column shown as its value is.
    pub const fn text(header: &'static str, path: &'static str) -> Column {
        Column {
            header,
            path,
            show: Show::Text,
        }
    }

    /// A column of dates; 0 or nothing shows as `N/A`.
    pub const fn date(header: &'static str, path: &'static str) -> Column {
        Column {
            header,
            path,
            show: Show::Date { zero: "N/A" },
        }
    }

    /// A column of `true` or `false`; nothing shows as `false`.
    pub const fn flag(header: &'static str, path: &'static str) -> Column {
        Column {
            header,
            path,
            show: Show::Flag,
        }
    }

    /// A column of how many items a list has.
    pub const fn count(header: &'static str, path: &'static str) -> Column {
        Column {
            header,
            path,
            show: Show::Count,
        }
    }
}

/// How a column's cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// As the value is: text, numbers, lists joined with commas, maps as `key=value` lists.
    Text,
    /// A date, from Unix seconds or ISO 8601 text, as `YYYY-MM-DD HH:MM:SS UTC`.
    Date {
        /// What 0 or no value shows as.
        zero: &'static str,
    },
    /// `true` or `false`; no value is `false`.
    Flag,
    /// How many items a list has.
    Count,
}

/// What one row of a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Each item of the list.
    Items,
    /// Each row of an item's `values` (a list of lists), its fields named by the item's `names`,
    /// beside the item's own fields: Monasca's measurements and statistics, one row per
    /// timestamp.
    Zipped {
        /// The field naming the positions of each row, e.g. `columns`.
        names: &'static str,
        /// The field holding the rows, e.g. `measurements`.
        values: &'static str,
    },
}

/// How an API's request bodies name the resource they carry, for the command-line tool's
/// field options.
#[derive(Debug, Clone, Copy)]
pub struct BodyNames {
    /// The body fields that may hold the resource's name (dotted), the first one the body has
    /// is used: a create (POST to a collection) takes it as its positional `NAME`, and an
    /// operation on one resource (its path ends in a parameter) fills it from that parameter
    /// when the body has none.
    pub name: &'static [&'static str],
    /// Body fields filled from a path parameter when the body has none: (parameter, field).
    pub from_path: &'static [(&'static str, &'static str)],
    /// Body schemas whose name is not the caller's to give (the server makes it).
    pub unnamed: &'static [&'static str],
}

/// How an API's list operations ask for one page.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Query parameter that sets the page size.
    pub size_param: &'static str,
    /// Query parameter that carries the cursor of the next page.
    pub cursor_param: &'static str,
    /// Where the items and the next cursor are in an answer.
    pub source: PageSource,
}

/// Where a list answer keeps its items and the cursor of the next page.
#[derive(Debug, Clone, Copy)]
pub enum PageSource {
    /// The body is the array of items; `decoder(&answer)` reads the next cursor from
    /// `send()`'s answer (from a header).
    Bare {
        /// Path of the decoding function.
        decoder: &'static str,
    },
    /// The body is an object with an array of items and a field that links to the next page;
    /// `decoder(&body.<next>)` returns the next cursor.
    Envelope {
        /// The items field; `None`: the only array property other than `next`.
        items: Option<&'static str>,
        /// The field that links to the next page.
        next: &'static str,
        /// Path of the function that reads the cursor from that field.
        decoder: &'static str,
    },
}

/// The library's cargo features, one per feature of [`APIS`], in table order.
pub fn features() -> Vec<&'static str> {
    let mut features: Vec<&'static str> = Vec::new();
    for api in APIS {
        if !features.contains(&api.feature) {
            features.push(api.feature);
        }
    }
    features
}

/// Every API the crate knows. `build.rs` generates the enabled ones; `xtask` checks all of them.
pub const APIS: &[Api] = &[
    Api {
        name: "sensu",
        feature: "sensu",
        feature_about: "Sensu Go 6.x",
        spec: "openapi/sensu.yaml",
        module: "sensu",
        inner: "crate::sensu::Context",
        paging: Some(Paging {
            size_param: "limit",
            cursor_param: "continue",
            source: PageSource::Bare {
                decoder: "crate::sensu::paging::continue_cursor",
            },
        }),
        cli: Cli {
            name: "sensu",
            about: "Sensu Go 6.x (SENSU_API_URL, SENSU_USERNAME, SENSU_PASSWORD or SENSU_API_KEY, SENSU_NAMESPACE)",
            connect: Connect::Own,
            waits: &[],
            columns: &[
                Columns {
                    kinds: &["CheckConfig"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("COMMAND", "command"),
                        Column::text("INTERVAL", "interval"),
                        Column::text("CRON", "cron"),
                        Column::text("TIMEOUT", "timeout"),
                        Column::text("TTL", "ttl"),
                        Column::text("SUBSCRIPTIONS", "subscriptions"),
                        Column::text("HANDLERS", "handlers"),
                        Column::text("ASSETS", "runtime_assets"),
                        Column::text("HOOKS", "check_hooks"),
                        Column::flag("PUBLISH?", "publish"),
                        Column::flag("STDIN?", "stdin"),
                        Column::text("METRIC FORMAT", "output_metric_format"),
                        Column::text("METRIC HANDLERS", "output_metric_handlers"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Entity"],
                    columns: &[
                        Column::text("ID", "metadata.name"),
                        Column::text("CLASS", "entity_class"),
                        Column::text("OS", "system.os"),
                        Column::text("SUBSCRIPTIONS", "subscriptions"),
                        Column::date("LAST SEEN", "last_seen"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Event"],
                    columns: &[
                        Column::text("ENTITY", "entity.metadata.name"),
                        Column::text("CHECK", "check.metadata.name"),
                        Column::text("OUTPUT", "check.output"),
                        Column::text("STATUS", "check.status"),
                        Column::flag("SILENCED", "check.is_silenced"),
                        Column::date("LAST SEEN", "timestamp"),
                        Column::text("UUID", "id"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Handler"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("TYPE", "type"),
                        Column::text("TIMEOUT", "timeout"),
                        Column::text("FILTERS", "filters"),
                        Column::text("MUTATOR", "mutator"),
                        Column::text("COMMAND", "command"),
                        Column::text("HANDLERS", "handlers"),
                        Column::text("ENVIRONMENT VARIABLES", "env_vars"),
                        Column::text("ASSETS", "runtime_assets"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["HookConfig"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("COMMAND", "command"),
                        Column::text("TIMEOUT", "timeout"),
                        Column::flag("STDIN?", "stdin"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Mutator"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("COMMAND", "command"),
                        Column::text("ENVIRONMENT VARIABLES", "env_vars"),
                        Column::text("TIMEOUT", "timeout"),
                        Column::text("ASSETS", "runtime_assets"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["EventFilter"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("ACTION", "action"),
                        Column::text("EXPRESSIONS", "expressions"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Asset"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("URL", "url"),
                        Column::text("HASH", "sha512"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Silenced"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("SUBSCRIPTION", "subscription"),
                        Column::text("CHECK", "check"),
                        Column::date("BEGIN", "begin"),
                        Column {
                            header: "EXPIRATION",
                            path: "expire_at",
                            show: Show::Date {
                                zero: "no expiration",
                            },
                        },
                        Column::flag("EXPIREONRESOLVE", "expire_on_resolve"),
                        Column::text("CREATOR", "creator"),
                        Column::text("REASON", "reason"),
                        Column::text("NAMESPACE", "metadata.namespace"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Namespace"],
                    columns: &[Column::text("NAME", "name")],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["User"],
                    columns: &[
                        Column::text("USERNAME", "username"),
                        Column::text("GROUPS", "groups"),
                        Column::flag("DISABLED", "disabled"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["Role"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("NAMESPACE", "metadata.namespace"),
                        Column::count("RULES", "rules"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["ClusterRole"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::count("RULES", "rules"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["RoleBinding", "ClusterRoleBinding"],
                    columns: &[
                        Column::text("NAME", "metadata.name"),
                        Column::text("ROLE", "role_ref.name"),
                        Column::count("SUBJECTS", "subjects"),
                    ],
                    rows: Rows::Items,
                },
            ],
            body_names: Some(BodyNames {
                name: &["metadata.name", "name"],
                from_path: &[("namespace", "metadata.namespace")],
                unnamed: &["Silenced", "Event", "APIKey"],
            }),
        },
    },
    Api {
        name: "keystone",
        feature: "openstack",
        feature_about: "one Keystone v3 session and the catalog, for the OpenStack clients",
        spec: "openapi/keystone.yaml",
        module: "openstack::keystone",
        inner: "crate::openstack::keystone::Context",
        paging: None,
        cli: Cli {
            name: "keystone",
            about: "OpenStack Keystone v3 authentication (--os-cloud, OS_*, --os-*)",
            connect: Connect::OpenStack {
                service: "identity",
            },
            waits: &[],
            columns: &[],
            body_names: None,
        },
    },
    Api {
        name: "watcher",
        feature: "watcher",
        feature_about: "OpenStack Watcher API 1.0 to 1.7 (enables `openstack`)",
        spec: "openapi/watcher.yaml",
        module: "watcher",
        inner: "crate::watcher::Context",
        paging: Some(Paging {
            size_param: "limit",
            cursor_param: "marker",
            source: PageSource::Envelope {
                items: None,
                next: "next",
                decoder: "crate::watcher::paging::next_marker",
            },
        }),
        cli: Cli {
            name: "watcher",
            about: "OpenStack Watcher (--os-cloud, OS_*, --os-*)",
            connect: Connect::OpenStack {
                service: "infra-optim",
            },
            waits: &["create_audit", "start_action_plan"],
            columns: &[
                Columns {
                    kinds: &[
                        "AuditCollection",
                        "AuditDetailCollection",
                        "Audit",
                        "AuditSummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("NAME", "name"),
                        Column::text("AUDIT TYPE", "audit_type"),
                        Column::text("STATE", "state"),
                        Column::text("GOAL", "goal_name"),
                        Column::text("STRATEGY", "strategy_name"),
                        Column::flag("AUTO TRIGGER", "auto_trigger"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &[
                        "AuditTemplateCollection",
                        "AuditTemplateDetailCollection",
                        "AuditTemplate",
                        "AuditTemplateSummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("NAME", "name"),
                        Column::text("GOAL", "goal_name"),
                        Column::text("STRATEGY", "strategy_name"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &[
                        "ActionPlanCollection",
                        "ActionPlanDetailCollection",
                        "ActionPlan",
                        "ActionPlanSummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("AUDIT", "audit_uuid"),
                        Column::text("STATE", "state"),
                        Column::date("UPDATED AT", "updated_at"),
                        Column::text("GLOBAL EFFICACY", "global_efficacy"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &[
                        "ActionCollection",
                        "ActionDetailCollection",
                        "Action",
                        "ActionSummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("PARENTS", "parents"),
                        Column::text("STATE", "state"),
                        Column::text("ACTION PLAN", "action_plan_uuid"),
                        Column::text("ACTION", "action_type"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &[
                        "GoalCollection",
                        "GoalDetailCollection",
                        "Goal",
                        "GoalSummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("NAME", "name"),
                        Column::text("DISPLAY NAME", "display_name"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &[
                        "StrategyCollection",
                        "StrategyDetailCollection",
                        "Strategy",
                        "StrategySummary",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("NAME", "name"),
                        Column::text("DISPLAY NAME", "display_name"),
                        Column::text("GOAL", "goal_name"),
                    ],
                    rows: Rows::Items,
                },
            ],
            body_names: None,
        },
    },
    Api {
        name: "monasca",
        feature: "monasca",
        feature_about: "OpenStack Monasca API v2.0 (enables `openstack`)",
        spec: "openapi/monasca.yaml",
        module: "monasca",
        inner: "crate::monasca::Context",
        paging: Some(Paging {
            size_param: "limit",
            cursor_param: "offset",
            source: PageSource::Envelope {
                items: Some("elements"),
                next: "links",
                decoder: "crate::monasca::paging::next_offset",
            },
        }),
        cli: Cli {
            name: "monasca",
            about: "OpenStack Monasca (--os-cloud, OS_*, --os-*)",
            connect: Connect::OpenStack {
                service: "monitoring",
            },
            waits: &[],
            columns: &[
                Columns {
                    kinds: &["MetricCollection", "Metric"],
                    columns: &[
                        Column::text("NAME", "name"),
                        Column::text("DIMENSIONS", "dimensions"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["MeasurementCollection", "MeasurementSeries"],
                    columns: &[
                        Column::text("NAME", "name"),
                        Column::text("DIMENSIONS", "dimensions"),
                        Column::date("TIMESTAMP", "timestamp"),
                        Column::text("VALUE", "value"),
                        Column::text("VALUE META", "value_meta"),
                    ],
                    rows: Rows::Zipped {
                        names: "columns",
                        values: "measurements",
                    },
                },
                Columns {
                    kinds: &["StatisticsCollection", "StatisticsSeries"],
                    columns: &[
                        Column::text("NAME", "name"),
                        Column::text("DIMENSIONS", "dimensions"),
                        Column::date("TIMESTAMP", "timestamp"),
                        Column::text("", Column::REST),
                    ],
                    rows: Rows::Zipped {
                        names: "columns",
                        values: "statistics",
                    },
                },
                Columns {
                    kinds: &["AlarmCount"],
                    columns: &[Column::text("", Column::REST)],
                    rows: Rows::Zipped {
                        names: "columns",
                        values: "counts",
                    },
                },
                Columns {
                    kinds: &["MetricNameCollection", "MetricName"],
                    columns: &[Column::text("NAME", "name")],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["DimensionNameCollection", "DimensionName"],
                    columns: &[Column::text("DIMENSION NAME", "dimension_name")],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["DimensionValueCollection", "DimensionValue"],
                    columns: &[Column::text("DIMENSION VALUE", "dimension_value")],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["AlarmDefinitionCollection", "AlarmDefinition"],
                    columns: &[
                        Column::text("NAME", "name"),
                        Column::text("ID", "id"),
                        Column::text("EXPRESSION", "expression"),
                        Column::text("MATCH BY", "match_by"),
                        Column::flag("ACTIONS ENABLED", "actions_enabled"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["AlarmCollection", "Alarm"],
                    columns: &[
                        Column::text("ID", "id"),
                        Column::text("ALARM DEFINITION", "alarm_definition.name"),
                        Column::text("METRIC NAME", "metrics.name"),
                        Column::text("METRIC DIMENSIONS", "metrics.dimensions"),
                        Column::text("SEVERITY", "alarm_definition.severity"),
                        Column::text("STATE", "state"),
                        Column::text("LIFECYCLE STATE", "lifecycle_state"),
                        Column::date("STATE UPDATED", "state_updated_timestamp"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["AlarmTransitionCollection", "AlarmTransition"],
                    columns: &[
                        Column::text("ALARM ID", "alarm_id"),
                        Column::text("NEW STATE", "new_state"),
                        Column::text("OLD STATE", "old_state"),
                        Column::text("REASON", "reason"),
                        Column::text("METRIC NAME", "metrics.name"),
                        Column::text("METRIC DIMENSIONS", "metrics.dimensions"),
                        Column::date("TIMESTAMP", "timestamp"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["NotificationMethodCollection", "NotificationMethod"],
                    columns: &[
                        Column::text("NAME", "name"),
                        Column::text("ID", "id"),
                        Column::text("TYPE", "type"),
                        Column::text("ADDRESS", "address"),
                        Column::text("PERIOD", "period"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["NotificationMethodTypeCollection", "NotificationMethodType"],
                    columns: &[Column::text("TYPE", "type")],
                    rows: Rows::Items,
                },
            ],
            body_names: None,
        },
    },
    Api {
        name: "saltant",
        feature: "saltant",
        feature_about: "saltant",
        spec: "openapi/saltant.yaml",
        module: "saltant",
        inner: "crate::saltant::Context",
        paging: Some(Paging {
            size_param: "page_size",
            cursor_param: "page",
            source: PageSource::Envelope {
                items: Some("results"),
                next: "next",
                decoder: "crate::saltant::paging::next_page",
            },
        }),
        cli: Cli {
            name: "saltant",
            about: "saltant (SALTANT_API_URL, SALTANT_AUTH_TOKEN)",
            connect: Connect::Own,
            waits: &[
                "create_container_task_instance",
                "create_executable_task_instance",
            ],
            columns: &[
                Columns {
                    kinds: &[
                        "ContainerTaskInstancePage",
                        "ContainerTaskInstance",
                        "ExecutableTaskInstancePage",
                        "ExecutableTaskInstance",
                    ],
                    columns: &[
                        Column::text("UUID", "uuid"),
                        Column::text("NAME", "name"),
                        Column::text("STATE", "state"),
                        Column::text("USER", "user"),
                        Column::text("TASK TYPE", "task_type"),
                        Column::text("TASK QUEUE", "task_queue"),
                        Column::date("CREATED", "datetime_created"),
                    ],
                    rows: Rows::Items,
                },
                Columns {
                    kinds: &["TaskQueuePage", "TaskQueue"],
                    columns: &[
                        Column::text("ID", "id"),
                        Column::text("NAME", "name"),
                        Column::text("USER", "user"),
                        Column::flag("ACTIVE", "active"),
                        Column::flag("PRIVATE", "private"),
                    ],
                    rows: Rows::Items,
                },
            ],
            body_names: None,
        },
    },
];
