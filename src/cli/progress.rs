//! What commands tell people on stderr: progress while they work, problems found in the inputs.

use std::io::{self, IsTerminal as _, Write as _};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use kg::ingest::{Diagnostic, Progress, Severity};

/// A spinner on stderr, shown only when stderr is a terminal and `--quiet` was not given.
pub struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    pub fn new(quiet: bool) -> Self {
        let shown = !quiet && io::stderr().is_terminal();
        let bar = shown.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    /// The callback the library calls as it works.
    pub fn update(&self, progress: Progress<'_>) {
        let Some(bar) = &self.bar else {
            return;
        };
        match progress {
            Progress::Pass(what) => bar.set_prefix(what.to_owned()),
            Progress::File(path) => bar.set_message(format!("{}", path.display())),
            Progress::Rows(rows) => {
                let message = bar.message();
                let file = message.split(" — ").next().unwrap_or_default().to_owned();
                bar.set_message(format!("{file} — {rows} rows"));
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How many problems of each severity are printed before the rest are only counted.
const SHOWN: usize = 200;

/// Prints problems to stderr, errors first, each as `file:line:column: severity: message`;
/// `counts` are how many errors and warnings there were in all (more than `diagnostics` holds
/// when the library kept only the first of them).
pub fn print_diagnostics(diagnostics: &[Diagnostic], counts: (usize, usize)) {
    let mut stderr = io::stderr().lock();
    for (severity, total) in [(Severity::Error, counts.0), (Severity::Warning, counts.1)] {
        let matching: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        for diagnostic in matching.iter().take(SHOWN) {
            let _ = writeln!(stderr, "{diagnostic}");
        }
        let shown = matching.len().min(SHOWN);
        let total = total.max(matching.len());
        if total > shown {
            let _ = writeln!(
                stderr,
                "… and {} more {}",
                total - shown,
                if severity == Severity::Error {
                    "errors"
                } else {
                    "warnings"
                }
            );
        }
    }
}
