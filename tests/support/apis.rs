//! Each API as the lossless checks see it: its document, its operations, and the generated type
//! of each schema the operations name.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use opsclient::operation::Operation;
use opsclient_codegen::Document;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes a body into a generated type and encodes it again.
pub type Codec = fn(&Value) -> Result<Value, String>;

/// Decodes raw bytes into a generated type, as the generated client does.
pub type Decoder = fn(&[u8]) -> Result<(), String>;

/// One API.
pub struct Api {
    /// The document's name in `openapi/` and the fixtures' folder in `tests/fixtures/`.
    pub name: &'static str,
    pub operations: &'static [Operation],
    /// The codec of a schema named as the operation table names it (`Name`, `[Name]`, `string`).
    pub codec: fn(&str) -> Option<Codec>,
    /// The byte decoder of a schema, named the same way.
    pub decoder: fn(&str) -> Option<Decoder>,
    document: &'static OnceLock<Document>,
}

impl Api {
    /// The parsed document, read once per test binary.
    pub fn document(&self) -> &'static Document {
        self.document.get_or_init(|| {
            let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("openapi")
                .join(format!("{}.yaml", self.name));
            opsclient_codegen::load(&file).expect("the document loads")
        })
    }

    /// Whether `operation` is one of this API's.
    pub fn owns(&self, operation: &Operation) -> bool {
        self.operations.iter().any(|op| std::ptr::eq(op, operation))
    }
}

pub fn decode_bytes<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(body)
        .map(drop)
        .map_err(|e| e.to_string())
}

pub fn codec_of<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))
}

/// Defines an `Api` constructor from the generated type of each schema name.
macro_rules! api {
    ($fn:ident, $name:literal, $module:path, { $($schema:literal => $ty:ident),* $(,)? }) => {
        pub fn $fn() -> Api {
            use $module as generated;
            fn codec(schema: &str) -> Option<Codec> {
                match schema {
                    $($schema => Some(codec_of::<generated::types::$ty>),)*
                    $(concat!("[", $schema, "]") => Some(codec_of::<Vec<generated::types::$ty>>),)*
                    "string" => Some(codec_of::<String>),
                    "uuid" => Some(codec_of::<uuid::Uuid>),
                    _ => None,
                }
            }
            fn decoder(schema: &str) -> Option<Decoder> {
                match schema {
                    $($schema => Some(decode_bytes::<generated::types::$ty>),)*
                    $(concat!("[", $schema, "]") => Some(decode_bytes::<Vec<generated::types::$ty>>),)*
                    "string" => Some(decode_bytes::<String>),
                    "uuid" => Some(decode_bytes::<uuid::Uuid>),
                    _ => None,
                }
            }
            static DOCUMENT: OnceLock<Document> = OnceLock::new();
            Api {
                name: $name,
                operations: generated::operations(),
                codec,
                decoder,
                document: &DOCUMENT,
            }
        }
    };
}

#[cfg(feature = "sensu")]
api!(sensu, "sensu", opsclient::sensu, {
    "APIKey" => ApiKey,
    "AdhocRequest" => AdhocRequest,
    "AdhocResponse" => AdhocResponse,
    "Asset" => Asset,
    "CheckConfig" => CheckConfig,
    "ClusterMemberAddResult" => ClusterMemberAddResult,
    "ClusterMembers" => ClusterMembers,
    "ClusterRole" => ClusterRole,
    "ClusterRoleBinding" => ClusterRoleBinding,
    "Entity" => Entity,
    "EntityConfig" => EntityConfig,
    "Event" => Event,
    "EventFilter" => EventFilter,
    "Handler" => Handler,
    "HealthResponse" => HealthResponse,
    "HookConfig" => HookConfig,
    "HookList" => HookList,
    "MetricPoint" => MetricPoint,
    "Mutator" => Mutator,
    "Namespace" => Namespace,
    "Pipeline" => Pipeline,
    "RefreshTokenRequest" => RefreshTokenRequest,
    "Role" => Role,
    "RoleBinding" => RoleBinding,
    "Silenced" => Silenced,
    "TessenConfig" => TessenConfig,
    "Tokens" => Tokens,
    "User" => User,
    "UserPasswordChange" => UserPasswordChange,
    "UserPasswordChangeFromWeb" => UserPasswordChangeFromWeb,
    "UserPasswordReset" => UserPasswordReset,
    "Version" => Version,
});

#[cfg(feature = "openstack")]
api!(keystone, "keystone", opsclient::openstack::keystone, {
    "AuthRequest" => AuthRequest,
    "AuthTokenResponse" => AuthTokenResponse,
    "AuthReceiptResponse" => AuthReceiptResponse,
    "CatalogResponse" => CatalogResponse,
    "AuthProjectsResponse" => AuthProjectsResponse,
    "AuthDomainsResponse" => AuthDomainsResponse,
    "AuthSystemResponse" => AuthSystemResponse,
    "VersionResponse" => VersionResponse,
});

#[cfg(feature = "watcher")]
api!(watcher, "watcher", opsclient::watcher, {
    "Root" => Root,
    "V1Root" => V1Root,
    "JsonPatchOperation" => JsonPatchOperation,
    "WebhookPayload" => WebhookPayload,
    "AuditTemplateCreate" => AuditTemplateCreate,
    "AuditTemplate" => AuditTemplate,
    "AuditTemplateCollection" => AuditTemplateCollection,
    "AuditTemplateDetailCollection" => AuditTemplateDetailCollection,
    "AuditCreate" => AuditCreate,
    "Audit" => Audit,
    "AuditCollection" => AuditCollection,
    "AuditDetailCollection" => AuditDetailCollection,
    "ActionPlan" => ActionPlan,
    "ActionPlanCollection" => ActionPlanCollection,
    "ActionPlanDetailCollection" => ActionPlanDetailCollection,
    "Action" => Action,
    "ActionCollection" => ActionCollection,
    "ActionDetailCollection" => ActionDetailCollection,
    "Goal" => Goal,
    "GoalCollection" => GoalCollection,
    "GoalDetailCollection" => GoalDetailCollection,
    "Strategy" => Strategy,
    "StrategyCollection" => StrategyCollection,
    "StrategyDetailCollection" => StrategyDetailCollection,
    "StrategyStateEntry" => StrategyStateEntry,
    "ScoringEngine" => ScoringEngine,
    "ScoringEngineCollection" => ScoringEngineCollection,
    "ScoringEngineDetailCollection" => ScoringEngineDetailCollection,
    "Service" => Service,
    "ServiceCollection" => ServiceCollection,
    "ServiceDetailCollection" => ServiceDetailCollection,
    "DataModel" => DataModel,
});

#[cfg(feature = "monasca")]
api!(monasca, "monasca", opsclient::monasca, {
    "Version" => Version,
    "VersionCollection" => VersionCollection,
    "MetricsRequest" => MetricsRequest,
    "MetricCollection" => MetricCollection,
    "MetricNameCollection" => MetricNameCollection,
    "MeasurementCollection" => MeasurementCollection,
    "StatisticsCollection" => StatisticsCollection,
    "DimensionNameCollection" => DimensionNameCollection,
    "DimensionValueCollection" => DimensionValueCollection,
    "NotificationMethodCreate" => NotificationMethodCreate,
    "NotificationMethodUpdate" => NotificationMethodUpdate,
    "NotificationMethodPatch" => NotificationMethodPatch,
    "NotificationMethod" => NotificationMethod,
    "NotificationMethodCollection" => NotificationMethodCollection,
    "NotificationMethodTypeCollection" => NotificationMethodTypeCollection,
    "AlarmDefinitionCreate" => AlarmDefinitionCreate,
    "AlarmDefinitionUpdate" => AlarmDefinitionUpdate,
    "AlarmDefinitionPatch" => AlarmDefinitionPatch,
    "AlarmDefinition" => AlarmDefinition,
    "AlarmDefinitionCollection" => AlarmDefinitionCollection,
    "AlarmCollection" => AlarmCollection,
    "AlarmCount" => AlarmCount,
    "AlarmTransitionCollection" => AlarmTransitionCollection,
    "AlarmUpdate" => AlarmUpdate,
    "AlarmPatch" => AlarmPatch,
    "Alarm" => Alarm,
    "LogsRequest" => LogsRequest,
    "HealthReport" => HealthReport,
});

/// Every API this build has.
pub fn enabled() -> Vec<Api> {
    vec![
        #[cfg(feature = "sensu")]
        sensu(),
        #[cfg(feature = "openstack")]
        keystone(),
        #[cfg(feature = "watcher")]
        watcher(),
        #[cfg(feature = "monasca")]
        monasca(),
    ]
}
