//! A progress bar on stderr for long cold walks: commits walked, then commits diffed and
//! decided out of the total, and the number of items. It appears only once a walk has taken
//! [`DELAY`] (a warm run never shows it), only when the front end turned it on (stderr is a
//! terminal and the output is not `--quiet`), and it is cleared before anything is printed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static ENABLED: AtomicBool = AtomicBool::new(false);
/// Delay in milliseconds before the bar appears (tests set 0).
static DELAY_MS: AtomicU64 = AtomicU64::new(DELAY.as_millis() as u64);
const DELAY: Duration = Duration::from_secs(1);

/// Let long history walks show a progress bar on stderr. Front ends call this only when stderr
/// is a terminal and the user did not ask for quiet output; the bar also checks the terminal
/// itself. `BACKLINT_PROGRESS_DELAY_MS` overrides the one-second delay.
pub fn enable_progress_bar() {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return;
    }
    if let Some(ms) = std::env::var("BACKLINT_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok()) {
        DELAY_MS.store(ms, Ordering::Relaxed);
    }
    ENABLED.store(true, Ordering::Relaxed);
}

/// The bar of one history read; does nothing unless enabled.
pub(crate) struct Progress {
    start: Instant,
    items: usize,
    bar: OnceLock<ProgressBar>,
    /// The phase (`None`: counting commits, total unknown) and its total.
    total: std::sync::Mutex<(&'static str, Option<u64>)>,
    enabled: bool,
}

impl Progress {
    pub fn new(items: usize) -> Self {
        Progress {
            start: Instant::now(),
            items,
            bar: OnceLock::new(),
            total: std::sync::Mutex::new(("walking", None)),
            enabled: ENABLED.load(Ordering::Relaxed),
        }
    }

    /// Start a phase over `total` commits (`None` while the total is not known yet).
    pub fn phase(&self, name: &'static str, total: Option<usize>) {
        if !self.enabled {
            return;
        }
        if let Ok(mut t) = self.total.lock() {
            *t = (name, total.map(|n| n as u64));
        }
        if let Some(bar) = self.bar.get() {
            self.style(bar, name, total.map(|n| n as u64));
            bar.set_position(0);
        }
    }

    /// `n` more commits done in the current phase.
    pub fn inc(&self, n: usize) {
        if !self.enabled {
            return;
        }
        match self.bar.get() {
            Some(bar) => bar.inc(n as u64),
            None if self.start.elapsed() >= Duration::from_millis(DELAY_MS.load(Ordering::Relaxed)) => {
                let bar = self.bar.get_or_init(|| {
                    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                    let (name, total) = self.total.lock().map(|t| *t).unwrap_or(("walking", None));
                    self.style(&bar, name, total);
                    bar
                });
                bar.inc(n as u64);
            }
            None => {}
        }
    }

    fn style(&self, bar: &ProgressBar, name: &str, total: Option<u64>) {
        let template = match total {
            Some(_) => format!("{name:>8} [{{bar:30}}] {{pos}}/{{len}} commits, {} items", self.items),
            None => format!("{name:>8} {{pos}} commits, {} items", self.items),
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_length(total.unwrap_or(0));
        if total.is_none() {
            bar.unset_length();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
