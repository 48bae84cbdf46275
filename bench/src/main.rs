//! opsclient's benchmarks. `cargo xtask bench` runs them in release mode.
//!
//! Each scenario compares ways of doing the same work on the same input, measured in
//! interleaved rounds (A B C, B C A, C A B, ...) so that drift in the machine's speed falls on
//! all of them alike. The report gives the median and spread of each, and the ratio of each
//! median to the first way's, all from the same run; every sample is also written as a JSON line
//! for later comparison.
//!
//! Options: `--rounds N`, `--out FILE`; `--compression` has the server gzip the HTTP
//! scenarios' answers for clients that accept it, and every way accept it (their names end in
//! `gzip`); `--list` prints each `SCENARIO/WAY`; `--only
//! SCENARIO/WAY` runs just that way `--rounds` times, untimed, to count its instructions;
//! `--filter TEXT` runs only the scenarios whose name contains TEXT (and no scale property);
//! `--short` runs every way once and checks its answers, writing nothing (CI runs it, so the
//! benchmarks cannot rot; it asserts no timing). `--probe idle|one-page|stream` is the
//! process of one memory probe of the streaming property, which prints its peak RSS in KiB.

mod decode;
mod http;
mod measure;
mod retry;
mod scale;
mod server;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(probe) = args
        .iter()
        .position(|a| a == "--probe")
        .and_then(|i| args.get(i + 1))
    {
        let probe = scale::Probe::from_name(probe).expect("a probe: idle, one-page or stream");
        scale::probe_main(probe);
        return;
    }
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "target/bench/results.jsonl".into());
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let list = args.iter().any(|a| a == "--list");
    let short = args.iter().any(|a| a == "--short");
    let compression = args.iter().any(|a| a == "--compression");
    let rounds = if short { 1 } else { rounds };
    let mut report = measure::Report::new(&out, only, list, short);
    if let Some(filter) = args
        .iter()
        .position(|a| a == "--filter")
        .and_then(|i| args.get(i + 1))
    {
        report.filter(filter);
    }
    decode::run(&mut report, rounds);
    retry::run(&mut report, rounds);
    http::run(&mut report, rounds, short, compression);
    if report.runs_scale() {
        scale::refresh_under_load();
        scale::stream_memory(short);
    }
    report.finish();
}

/// The crate path the generated types name for secrets.
mod secret {
    pub use opsclient::secret::SecretText;
}

#[allow(dead_code, clippy::all, clippy::pedantic)]
mod generated {
    pub mod sensu_kept {
        include!(concat!(env!("OUT_DIR"), "/sensu_kept.rs"));
    }
    pub mod sensu_flattened {
        include!(concat!(env!("OUT_DIR"), "/sensu_flattened.rs"));
    }
    pub mod sensu_dropped {
        include!(concat!(env!("OUT_DIR"), "/sensu_dropped.rs"));
    }
    pub mod monasca_kept {
        include!(concat!(env!("OUT_DIR"), "/monasca_kept.rs"));
    }
    pub mod monasca_flattened {
        include!(concat!(env!("OUT_DIR"), "/monasca_flattened.rs"));
    }
    pub mod monasca_dropped {
        include!(concat!(env!("OUT_DIR"), "/monasca_dropped.rs"));
    }
    pub mod watcher_kept {
        include!(concat!(env!("OUT_DIR"), "/watcher_kept.rs"));
    }
    pub mod watcher_flattened {
        include!(concat!(env!("OUT_DIR"), "/watcher_flattened.rs"));
    }
    pub mod watcher_dropped {
        include!(concat!(env!("OUT_DIR"), "/watcher_dropped.rs"));
    }
}

#[cfg(test)]
mod tests {
    /// The short mode, in every test run: each way of each scenario runs once and its answer
    /// is checked, with and without compression, so the benchmarks cannot rot. No timing is
    /// asserted.
    #[test]
    fn every_scenario_runs_once_and_checks_its_answers() {
        let mut report = crate::measure::Report::new("/dev/null", None, false, true);
        crate::decode::run(&mut report, 1);
        crate::retry::run(&mut report, 1);
        crate::http::run(&mut report, 1, true, false);
        crate::http::run(&mut report, 1, true, true);
        crate::scale::refresh_under_load();
        crate::scale::stream_memory(true);
    }
}
