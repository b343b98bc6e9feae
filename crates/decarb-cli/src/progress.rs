//! Progress of long operations on stderr (ensembles, sensitivity analyses, Sobol indices, `brief
//! all`): an indicatif bar with ETA on a terminal only, so that piped output stays plain.

use std::io::IsTerminal;

/// An indicatif bar of `total` runs on stderr when stderr is a terminal, headed by `label` when
/// given.
pub fn terminal_bar(total: u64, label: Option<&str>) -> Option<indicatif::ProgressBar> {
    terminal_bar_of(total, label, "runs")
}

/// As [`terminal_bar`], counting `unit` ("briefs", "rows") instead of runs.
pub fn terminal_bar_of(total: u64, label: Option<&str>, unit: &str) -> Option<indicatif::ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        let template =
            format!("[{{bar:40}}] {{pos}}/{{len}} {unit}, {{elapsed_precise}} elapsed, ETA {{eta_precise}}");
        let template = if label.is_some() { format!("{{msg}} {template}") } else { template };
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if let Some(label) = label {
            bar.set_message(label.to_owned());
        }
        bar
    })
}

/// A spinner with elapsed time on stderr when stderr is a terminal, for work whose size is not
/// known in advance (a store import's transaction); `None` on a pipe.
pub fn terminal_spinner(label: &str) -> Option<indicatif::ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed_precise})") {
            bar.set_style(style);
        }
        bar.set_message(label.to_owned());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    })
}

/// A progress display: an indicatif bar with ETA on a terminal, a log line every tenth
/// otherwise.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    done: u64,
    label: String,
}

impl Progress {
    pub fn new(total: u64, label: &str) -> Progress {
        let bar = terminal_bar(total, Some(label));
        Progress { bar, total, done: 0, label: label.to_owned() }
    }

    pub fn tick(&mut self) {
        self.done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else {
            let step = (self.total / 10).max(1);
            if self.done.is_multiple_of(step) || self.done == self.total {
                eprintln!("{}: {}/{} runs done", self.label, self.done, self.total);
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
