//! The command names of the Python CLIs that opsclient replaces: python-monascaclient's
//! `monasca metric-list` and python-watcherclient's `watcher audit list` run as `opsclient
//! monasca metric-list` and `opsclient watcher audit list`, with the positional arguments and
//! short options they take.
//!
//! Before parsing, such a command and its positional arguments are rewritten into the
//! generated command and its options (`alarm-show ID` → `get-alarm --alarm-id ID`); the
//! single-word names are also aliases of the generated commands, so help and completion show
//! them.

use std::ffi::OsString;

/// One command as a Python CLI spells it.
pub struct PythonCommand {
    /// `monasca` or `watcher`.
    pub api: &'static str,
    /// The words that name it: `["metric-list"]`, `["audit", "list"]`.
    pub words: &'static [&'static str],
    /// The operation it runs.
    pub operation: &'static str,
    /// Its positional arguments, in order, as the generated command's options.
    pub positionals: &'static [&'static str],
    /// Its options that have other names here: (Python CLI's, generated).
    pub renamed: &'static [(&'static str, &'static str)],
}

macro_rules! python_commands {
    ($($api:literal [$($word:literal),+] => $op:literal ($($pos:literal),*) {$($from:literal => $to:literal),*})*) => {
        pub const PYTHON_COMMANDS: &[PythonCommand] = &[$(PythonCommand {
            api: $api,
            words: &[$($word),+],
            operation: $op,
            positionals: &[$($pos),*],
            renamed: &[$(($from, $to)),*],
        }),*];
    };
}

python_commands! {
    "monasca" ["metric-list"] => "listMetrics" () {}
    "monasca" ["metric-name-list"] => "listMetricNames" () {}
    "monasca" ["measurement-list"] => "listMeasurements" ("name", "start-time") {"--endtime" => "--end-time", "--merge_metrics" => "--merge-metrics", "--group_by" => "--group-by"}
    "monasca" ["metric-statistics"] => "listStatistics" ("name", "statistics", "start-time") {"--endtime" => "--end-time", "--merge_metrics" => "--merge-metrics", "--group_by" => "--group-by"}
    "monasca" ["dimension-name-list"] => "listDimensionNames" () {"--metric-name" => "--metric-name"}
    "monasca" ["dimension-value-list"] => "listDimensionValues" ("dimension-name") {}
    "monasca" ["notification-create"] => "createNotificationMethod" ("name", "type", "address") {}
    "monasca" ["notification-list"] => "listNotificationMethods" () {}
    "monasca" ["notification-show"] => "getNotificationMethod" ("notification-method-id") {}
    "monasca" ["notification-delete"] => "deleteNotificationMethod" ("notification-method-id") {}
    "monasca" ["notification-update"] => "updateNotificationMethod" ("notification-method-id", "name", "type", "address") {}
    "monasca" ["notification-patch"] => "patchNotificationMethod" ("notification-method-id") {}
    "monasca" ["notification-type-list"] => "listNotificationMethodTypes" () {}
    "monasca" ["alarm-definition-create"] => "createAlarmDefinition" ("name", "expression") {}
    "monasca" ["alarm-definition-list"] => "listAlarmDefinitions" () {}
    "monasca" ["alarm-definition-show"] => "getAlarmDefinition" ("alarm-definition-id") {}
    "monasca" ["alarm-definition-delete"] => "deleteAlarmDefinition" ("alarm-definition-id") {}
    "monasca" ["alarm-definition-update"] => "updateAlarmDefinition" ("alarm-definition-id") {}
    "monasca" ["alarm-definition-patch"] => "patchAlarmDefinition" ("alarm-definition-id") {}
    "monasca" ["alarm-list"] => "listAlarms" () {}
    "monasca" ["alarm-show"] => "getAlarm" ("alarm-id") {}
    "monasca" ["alarm-delete"] => "deleteAlarm" ("alarm-id") {}
    "monasca" ["alarm-update"] => "updateAlarm" ("alarm-id") {}
    "monasca" ["alarm-patch"] => "patchAlarm" ("alarm-id") {}
    "monasca" ["alarm-count"] => "countAlarms" () {}
    "monasca" ["alarm-history"] => "listAlarmStateHistory" ("alarm-id") {}
    "monasca" ["alarm-history-list"] => "listStateHistory" () {}
    "watcher" ["audittemplate", "list"] => "listAuditTemplates" () {}
    "watcher" ["audittemplate", "create"] => "createAuditTemplate" ("name", "goal") {"-s" => "--strategy", "-d" => "--description"}
    "watcher" ["audittemplate", "show"] => "getAuditTemplate" ("audittemplate-ident") {}
    "watcher" ["audittemplate", "update"] => "updateAuditTemplate" ("audittemplate-ident") {}
    "watcher" ["audittemplate", "delete"] => "deleteAuditTemplate" ("audittemplate-ident") {}
    "watcher" ["audit", "list"] => "listAudits" () {}
    "watcher" ["audit", "create"] => "createAudit" () {"-a" => "--audit-template-uuid", "-t" => "--audit-type", "-g" => "--goal", "-s" => "--strategy", "-i" => "--interval"}
    "watcher" ["audit", "show"] => "getAudit" ("audit-ident") {}
    "watcher" ["audit", "update"] => "updateAudit" ("audit-ident") {}
    "watcher" ["audit", "delete"] => "deleteAudit" ("audit-ident") {}
    "watcher" ["actionplan", "list"] => "listActionPlans" () {"-a" => "--audit-uuid"}
    "watcher" ["actionplan", "show"] => "getActionPlan" ("actionplan-ident") {}
    "watcher" ["actionplan", "start"] => "startActionPlan" ("actionplan-ident") {}
    "watcher" ["actionplan", "update"] => "updateActionPlan" ("actionplan-ident") {}
    "watcher" ["actionplan", "delete"] => "deleteActionPlan" ("actionplan-ident") {}
    "watcher" ["action", "list"] => "listActions" () {}
    "watcher" ["action", "show"] => "getAction" ("action-ident") {}
    "watcher" ["action", "update"] => "updateAction" ("action-ident") {}
    "watcher" ["goal", "list"] => "listGoals" () {}
    "watcher" ["goal", "show"] => "getGoal" ("goal-ident") {}
    "watcher" ["strategy", "list"] => "listStrategies" () {}
    "watcher" ["strategy", "show"] => "getStrategy" ("strategy-ident") {}
    "watcher" ["strategy", "state"] => "getStrategyState" ("strategy-ident") {}
    "watcher" ["service", "list"] => "listServices" () {}
    "watcher" ["service", "show"] => "getService" ("service-ident") {}
    "watcher" ["scoringengine", "list"] => "listScoringEngines" () {}
    "watcher" ["scoringengine", "show"] => "getScoringEngine" ("scoring-engine-ident") {}
}

/// watcherclient's `--detail` lists call the detail operations.
const DETAIL: &[(&str, &str)] = &[
    ("listAuditTemplates", "listAuditTemplatesDetail"),
    ("listAudits", "listAuditsDetail"),
    ("listActionPlans", "listActionPlansDetail"),
    ("listActions", "listActionsDetail"),
    ("listGoals", "listGoalsDetail"),
    ("listStrategies", "listStrategiesDetail"),
    ("listServices", "listServicesDetail"),
    ("listScoringEngines", "listScoringEnginesDetail"),
];

/// The tool's options that take no value.
const FLAGS: &[&str] = &[
    "--all",
    "--debug",
    "--wait",
    "--insecure",
    "--help",
    "-h",
    "--os-ask-password",
];

/// The single-word Python CLI names of an operation, as aliases.
pub fn aliases(api: &str, operation: &str) -> Vec<&'static str> {
    PYTHON_COMMANDS
        .iter()
        .filter(|s| {
            s.api == api
                && crate::names::kebab(s.operation) == crate::names::kebab(operation)
                && s.words.len() == 1
        })
        .map(|s| s.words[0])
        .collect()
}

/// The command line with a Python CLI command turned into its generated command.
pub fn rewrite(args: Vec<OsString>) -> Vec<OsString> {
    let text: Vec<Option<&str>> = args.iter().map(|a| a.to_str()).collect();
    let Some(at) = text
        .iter()
        .position(|a| matches!(a, Some("monasca" | "watcher")))
    else {
        return args;
    };
    let api = text[at].unwrap_or_default();
    let after = &text[at + 1..];
    let Some(command) = PYTHON_COMMANDS.iter().find(|s| {
        s.api == api
            && s.words.len() <= after.len()
            && s.words.iter().zip(after).all(|(w, a)| Some(*w) == *a)
    }) else {
        return args;
    };
    let mut rest: Vec<OsString> = args[at + 1 + command.words.len()..].to_vec();
    let detail = rest.iter().any(|a| a == "--detail");
    rest.retain(|a| a != "--detail");
    let operation = match DETAIL.iter().find(|(plain, _)| *plain == command.operation) {
        Some((_, detailed)) if detail => detailed,
        _ => command.operation,
    };
    let mut out: Vec<OsString> = args[..=at].to_vec();
    out.push(crate::names::kebab(operation).into());
    let mut positionals = command.positionals.iter();
    let mut options = rest.into_iter();
    while let Some(arg) = options.next() {
        let text = arg.to_str().unwrap_or_default();
        if let Some((_, to)) = command.renamed.iter().find(|(from, _)| *from == text) {
            out.push((*to).into());
        } else if let Some((name, value)) = text
            .split_once('=')
            .filter(|(n, _)| command.renamed.iter().any(|(from, _)| from == n))
        {
            let to = command
                .renamed
                .iter()
                .find(|(from, _)| *from == name)
                .map(|(_, t)| *t);
            out.push(format!("{}={value}", to.unwrap_or(name)).into());
        } else if text.starts_with('-') {
            out.push(arg.clone());
            // An option's value passes through with it; a flag has none.
            if !text.contains('=') && !FLAGS.contains(&text) {
                if let Some(value) = options.next() {
                    out.push(value);
                }
            }
        } else if let Some(name) = positionals.next() {
            out.push(format!("--{name}").into());
            out.push(arg);
        } else {
            out.push(arg);
        }
    }
    out
}

/// `line`, split at spaces, after `rewrite`: how the tests of a command-line rewrite read.
#[cfg(test)]
pub(crate) fn rewritten(rewrite: fn(Vec<OsString>) -> Vec<OsString>, line: &str) -> String {
    let args = line.split(' ').map(OsString::from).collect();
    rewrite(args)
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> String {
        rewritten(rewrite, line)
    }

    #[test]
    fn python_cli_commands_become_generated_ones() {
        assert_eq!(
            run("opsclient monasca alarm-show a1 -o json"),
            "opsclient monasca get-alarm --alarm-id a1 -o json"
        );
        assert_eq!(
            run("opsclient monasca measurement-list cpu 2026-01-01T00:00:00Z --merge_metrics true"),
            "opsclient monasca list-measurements --name cpu --start-time 2026-01-01T00:00:00Z --merge-metrics true"
        );
        // monascaclient's order: `metric-statistics <METRIC_NAME> <STATISTICS> <UTC_START_TIME>`.
        assert_eq!(
            run("opsclient monasca metric-statistics cpu avg,max 2026-01-01T00:00:00Z"),
            "opsclient monasca list-statistics --name cpu --statistics avg,max --start-time 2026-01-01T00:00:00Z"
        );
        assert_eq!(
            run("opsclient watcher audit list --detail"),
            "opsclient watcher list-audits-detail"
        );
        assert_eq!(
            run("opsclient watcher audittemplate create at1 dummy -s dummy"),
            "opsclient watcher create-audit-template --name at1 --goal dummy --strategy dummy"
        );
        assert_eq!(
            run("opsclient watcher actionplan start p1 --wait"),
            "opsclient watcher start-action-plan --actionplan-ident p1 --wait"
        );
        assert_eq!(
            run("opsclient sensu list-checks"),
            "opsclient sensu list-checks"
        );
        assert_eq!(
            run("opsclient watcher audit show --wait a1"),
            "opsclient watcher get-audit --wait --audit-ident a1"
        );
    }
}
