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
    /// The usual columns of the API's resource kinds in `--output table`.
    pub columns: &'static [Columns],
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

/// The columns a table shows for some resource kinds (schema names).
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// The schemas, e.g. `AuditCollection`, `Audit`.
    pub kinds: &'static [&'static str],
    /// Dotted field paths, e.g. `metadata.name`.
    pub columns: &'static [&'static str],
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
                        "metadata.name",
                        "command",
                        "interval",
                        "cron",
                        "subscriptions",
                        "handlers",
                        "publish",
                    ],
                },
                Columns {
                    kinds: &["Entity"],
                    columns: &[
                        "metadata.name",
                        "entity_class",
                        "system.os",
                        "subscriptions",
                        "last_seen",
                        "sensu_agent_version",
                    ],
                },
                Columns {
                    kinds: &["Event"],
                    columns: &[
                        "entity.metadata.name",
                        "check.metadata.name",
                        "check.status",
                        "check.output",
                        "timestamp",
                    ],
                },
                Columns {
                    kinds: &["Handler"],
                    columns: &[
                        "metadata.name",
                        "type",
                        "command",
                        "timeout",
                        "filters",
                        "mutator",
                    ],
                },
                Columns {
                    kinds: &["HookConfig", "Mutator"],
                    columns: &["metadata.name", "command", "timeout"],
                },
                Columns {
                    kinds: &["EventFilter"],
                    columns: &["metadata.name", "action", "expressions"],
                },
                Columns {
                    kinds: &["Asset"],
                    columns: &["metadata.name", "url", "sha512"],
                },
                Columns {
                    kinds: &["Silenced"],
                    columns: &["metadata.name", "subscription", "check", "expire", "reason"],
                },
                Columns {
                    kinds: &["Namespace"],
                    columns: &["name"],
                },
                Columns {
                    kinds: &["User"],
                    columns: &["username", "groups", "disabled"],
                },
                Columns {
                    kinds: &["Role", "ClusterRole"],
                    columns: &["metadata.name", "rules"],
                },
                Columns {
                    kinds: &["RoleBinding", "ClusterRoleBinding"],
                    columns: &["metadata.name", "role_ref.name", "subjects"],
                },
            ],
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
                        "uuid",
                        "name",
                        "audit_type",
                        "state",
                        "goal_name",
                        "strategy_name",
                    ],
                },
                Columns {
                    kinds: &[
                        "AuditTemplateCollection",
                        "AuditTemplateDetailCollection",
                        "AuditTemplate",
                        "AuditTemplateSummary",
                    ],
                    columns: &["uuid", "name", "goal_name", "strategy_name"],
                },
                Columns {
                    kinds: &[
                        "ActionPlanCollection",
                        "ActionPlanDetailCollection",
                        "ActionPlan",
                        "ActionPlanSummary",
                    ],
                    columns: &["uuid", "audit_uuid", "state", "strategy_name", "updated_at"],
                },
                Columns {
                    kinds: &[
                        "ActionCollection",
                        "ActionDetailCollection",
                        "Action",
                        "ActionSummary",
                    ],
                    columns: &["uuid", "action_type", "state", "action_plan_uuid"],
                },
                Columns {
                    kinds: &[
                        "GoalCollection",
                        "GoalDetailCollection",
                        "Goal",
                        "GoalSummary",
                    ],
                    columns: &["uuid", "name", "display_name"],
                },
                Columns {
                    kinds: &[
                        "StrategyCollection",
                        "StrategyDetailCollection",
                        "Strategy",
                        "StrategySummary",
                    ],
                    columns: &["uuid", "name", "display_name", "goal_name"],
                },
            ],
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
                    columns: &["id", "name", "dimensions"],
                },
                Columns {
                    kinds: &["AlarmDefinitionCollection", "AlarmDefinition"],
                    columns: &["id", "name", "expression", "severity", "actions_enabled"],
                },
                Columns {
                    kinds: &["AlarmCollection", "Alarm"],
                    columns: &[
                        "id",
                        "alarm_definition.name",
                        "state",
                        "lifecycle_state",
                        "updated_timestamp",
                    ],
                },
                Columns {
                    kinds: &["NotificationMethodCollection", "NotificationMethod"],
                    columns: &["id", "name", "type", "address", "period"],
                },
            ],
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
                        "uuid",
                        "name",
                        "state",
                        "user",
                        "task_type",
                        "task_queue",
                        "datetime_created",
                    ],
                },
                Columns {
                    kinds: &["TaskQueuePage", "TaskQueue"],
                    columns: &["id", "name", "user", "active", "private"],
                },
            ],
        },
    },
];
