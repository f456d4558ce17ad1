//! How a long import or generator run reports how far it has got: nothing on the web,
//! a progress bar on the command line.

use indicatif::{ProgressBar, ProgressStyle};
use std::cell::RefCell;

pub trait Progress {
    /// A new pass starts over `total` items.
    fn start(&self, _pass: &'static str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// No progress shown.
pub struct Quiet;
impl Progress for Quiet {}

/// One indicatif bar per pass, on standard error (hidden when that is not a terminal).
#[derive(Default)]
pub struct Bar {
    current: RefCell<Option<ProgressBar>>,
}

impl Progress for Bar {
    fn start(&self, pass: &'static str, total: u64) {
        self.finish();
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template(
            "{msg:<20} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(pass);
        *self.current.borrow_mut() = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.current.borrow().as_ref() {
            bar.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.current.borrow_mut().take() {
            bar.finish();
        }
    }
}
