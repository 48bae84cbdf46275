//! Interleaved rounds, medians, spreads and ratios.

use std::io::Write;
use std::time::{Duration, Instant};

/// The shortest a sample may last.
const SAMPLE_FLOOR: Duration = Duration::from_millis(5);

/// The most runs of the work in one sample.
const MAX_PER_SAMPLE: usize = 1000;

/// One way of doing a scenario's work: a name and the work, which returns something to keep
/// the optimizer from removing it.
pub struct Way<'a> {
    pub name: &'static str,
    pub work: Box<dyn FnMut() -> usize + 'a>,
}

/// Collects results, prints them and writes them as JSON lines.
pub struct Report {
    file: Option<std::fs::File>,
    path: String,
    /// `--only SCENARIO/WAY`: run just that work, untimed (for counting instructions).
    only: Option<(String, String)>,
    /// `--list`: print each `SCENARIO/WAY` and run nothing.
    list: bool,
    /// `--filter TEXT`: run only the scenarios whose name contains it.
    filter: Option<String>,
}

impl Report {
    pub fn new(path: &str, only: Option<&str>, list: bool, short: bool) -> Report {
        if let Some(dir) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| eprintln!("bench: cannot write {path}: {e}"))
            .ok();
        let only = only
            .and_then(|o| o.split_once('/'))
            .map(|(s, w)| (s.into(), w.into()));
        Report {
            file: if only.is_some() || list || short {
                None
            } else {
                file
            },
            path: path.into(),
            only,
            list,
            filter: None,
        }
    }

    /// Runs only the scenarios whose name contains `text`.
    pub fn filter(&mut self, text: &str) {
        self.filter = Some(text.into());
    }

    /// Whether the scale properties run too: not with `--only`, `--list` or `--filter`.
    pub fn runs_scale(&self) -> bool {
        self.only.is_none() && !self.list && self.filter.is_none()
    }

    /// Runs every way `rounds` times, interleaved with a rotating start, each sample timing
    /// `per_sample` runs of the work; prints the medians and ratios to the first way.
    pub fn scenario(&mut self, scenario: &str, rounds: usize, per_sample: usize, ways: &mut [Way]) {
        if self
            .filter
            .as_ref()
            .is_some_and(|f| !scenario.contains(f.as_str()))
        {
            return;
        }
        if self.list {
            for way in ways.iter() {
                println!("{scenario}/{}", way.name);
            }
            return;
        }
        if let Some((only_scenario, only_way)) = &self.only {
            if scenario == only_scenario {
                for way in ways.iter_mut().filter(|w| w.name == only_way) {
                    for _ in 0..rounds {
                        std::hint::black_box((way.work)());
                    }
                }
            }
            return;
        }
        // One unmeasured pass warms caches and allocators, and sizes the samples: each lasts
        // at least SAMPLE_FLOOR, so that a scenario of microseconds is not timer and scheduler
        // noise.
        let mut fastest = Duration::MAX;
        for way in ways.iter_mut() {
            let start = Instant::now();
            std::hint::black_box((way.work)());
            fastest = fastest.min(start.elapsed());
        }
        let needed = SAMPLE_FLOOR.as_nanos() / fastest.as_nanos().max(1) + 1;
        let per_sample = per_sample.max(usize::try_from(needed).unwrap_or(1).min(MAX_PER_SAMPLE));
        let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); ways.len()];
        for round in 0..rounds {
            for offset in 0..ways.len() {
                let i = (round + offset) % ways.len();
                let start = Instant::now();
                for _ in 0..per_sample {
                    std::hint::black_box((ways[i].work)());
                }
                samples[i].push(start.elapsed() / per_sample as u32);
            }
        }
        println!("\n{scenario} ({rounds} rounds of {per_sample}, interleaved)");
        let medians: Vec<Duration> = samples.iter_mut().map(|s| quantile(s, 0.5)).collect();
        for (i, way) in ways.iter().enumerate() {
            let spread = (
                quantile(&mut samples[i], 0.1),
                quantile(&mut samples[i], 0.9),
            );
            let ratio = medians[i].as_secs_f64() / medians[0].as_secs_f64();
            println!(
                "  {:<34} median {:>10.1} µs   p10–p90 {:>9.1}–{:<9.1} µs   ×{ratio:.3} of {}",
                way.name,
                micros(medians[i]),
                micros(spread.0),
                micros(spread.1),
                ways[0].name
            );
            if let Some(file) = self.file.as_mut() {
                let line = serde_json::json!({
                    "scenario": scenario,
                    "way": way.name,
                    "median_us": micros(medians[i]),
                    "p10_us": micros(spread.0),
                    "p90_us": micros(spread.1),
                    "ratio_to_first": ratio,
                    "baseline": ways[0].name,
                    "rounds": rounds,
                    "unix_time": std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs()),
                });
                let _ = writeln!(file, "{line}");
            }
        }
    }

    /// Whether every way of every scenario runs (not `--only`, not `--list`), so that the
    /// server's hit counts can be checked.
    pub fn runs_everything(&self) -> bool {
        self.only.is_none() && !self.list && self.filter.is_none()
    }

    pub fn finish(self) {
        if self.file.is_some() && self.only.is_none() && !self.list {
            println!("\nresults appended to {}", self.path);
        }
    }
}

fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() - 1) as f64 * q).round() as usize;
    samples[index]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
