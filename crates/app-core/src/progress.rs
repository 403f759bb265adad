//! Long work shown by the OS too: the taskbar button (Windows), the Dock icon (macOS), the
//! launcher entry (Linux desktops that support it). Each piece of work holds a [`Work`] while it
//! runs — the env health watch now; fleet changes later, with their counts — and the app shows
//! one combined state through the sink the shell sets.

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;

/// What the OS shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskbarProgress {
    /// Nothing running: no progress shown.
    None,
    /// Running, with no way to say how far along (waiting for a project to come back).
    Indeterminate,
    /// Percent done, 0–100.
    Percent(u8),
}

/// Shows a [`TaskbarProgress`]; the shell's sets the window's progress bar.
pub type ProgressSink = Arc<dyn Fn(TaskbarProgress) + Send + Sync>;

/// The work running now, combined into what the OS shows.
#[derive(Clone, Default)]
pub struct LongWork(Arc<Mutex<Running>>);

#[derive(Default)]
struct Running {
    next_id: u64,
    /// Each piece of work: `None` while it cannot say, else (done, total).
    work: BTreeMap<u64, Option<(u64, u64)>>,
    sink: Option<ProgressSink>,
    shown: Option<TaskbarProgress>,
}

impl LongWork {
    pub fn set_sink(&self, sink: ProgressSink) {
        self.0.lock().sink = Some(sink);
    }

    /// A piece of work begins (indeterminate until [`Work::set`]); it ends when the `Work` is
    /// dropped, also on an error or a cancelled future.
    pub fn start(&self) -> Work {
        let mut running = self.0.lock();
        let id = running.next_id;
        running.next_id += 1;
        running.work.insert(id, None);
        running.show();
        Work {
            id,
            all: self.clone(),
        }
    }

    /// What the OS is shown now.
    pub fn current(&self) -> TaskbarProgress {
        combined(&self.0.lock().work)
    }
}

impl Running {
    /// Tells the sink, only when what is shown changes.
    fn show(&mut self) {
        let now = combined(&self.work);
        if self.shown != Some(now) {
            self.shown = Some(now);
            if let Some(sink) = &self.sink {
                sink(now);
            }
        }
    }
}

/// All running work as one: the share of all steps done when every piece can say, else
/// indeterminate.
fn combined(work: &BTreeMap<u64, Option<(u64, u64)>>) -> TaskbarProgress {
    if work.is_empty() {
        return TaskbarProgress::None;
    }
    let mut done = 0u64;
    let mut total = 0u64;
    for counts in work.values() {
        let Some((d, t)) = counts else {
            return TaskbarProgress::Indeterminate;
        };
        done = done.saturating_add((*d).min(*t));
        total = total.saturating_add(*t);
    }
    if total == 0 {
        return TaskbarProgress::Indeterminate;
    }
    let percent = u128::from(done) * 100 / u128::from(total);
    TaskbarProgress::Percent(u8::try_from(percent).unwrap_or(100))
}

/// One piece of long work, running until dropped.
pub struct Work {
    id: u64,
    all: LongWork,
}

impl Work {
    /// `done` of `total` steps (a fleet change: projects done of those chosen).
    pub fn set(&self, done: u64, total: u64) {
        let mut running = self.all.0.lock();
        running.work.insert(self.id, Some((done, total)));
        running.show();
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let mut running = self.all.0.lock();
        running.work.remove(&self.id);
        running.show();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded() -> (LongWork, Arc<Mutex<Vec<TaskbarProgress>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let work = LongWork::default();
        let into = Arc::clone(&seen);
        work.set_sink(Arc::new(move |p| into.lock().push(p)));
        (work, seen)
    }

    #[test]
    fn one_watch_is_indeterminate_until_it_ends() {
        let (all, seen) = recorded();
        assert_eq!(all.current(), TaskbarProgress::None);
        let watch = all.start();
        assert_eq!(all.current(), TaskbarProgress::Indeterminate);
        drop(watch);
        assert_eq!(
            *seen.lock(),
            [TaskbarProgress::Indeterminate, TaskbarProgress::None]
        );
    }

    #[test]
    fn counted_work_adds_up_and_unknown_work_wins() {
        let (all, seen) = recorded();
        let fleet = all.start();
        fleet.set(1, 4);
        let other = all.start();
        other.set(3, 4);
        assert_eq!(all.current(), TaskbarProgress::Percent(50));
        let watch = all.start();
        assert_eq!(all.current(), TaskbarProgress::Indeterminate);
        drop(watch);
        // Counts past the total count as the total; an empty total says nothing.
        other.set(9, 4);
        assert_eq!(all.current(), TaskbarProgress::Percent(62));
        fleet.set(0, 0);
        other.set(0, 0);
        assert_eq!(all.current(), TaskbarProgress::Indeterminate);
        drop((fleet, other));
        assert_eq!(all.current(), TaskbarProgress::None);
        assert_eq!(
            *seen.lock(),
            [
                TaskbarProgress::Indeterminate,
                TaskbarProgress::Percent(25),
                TaskbarProgress::Indeterminate,
                TaskbarProgress::Percent(50),
                TaskbarProgress::Indeterminate,
                TaskbarProgress::Percent(50),
                TaskbarProgress::Percent(62),
                TaskbarProgress::Percent(100),
                TaskbarProgress::Indeterminate,
                TaskbarProgress::None,
            ]
        );
    }

    #[test]
    fn the_sink_hears_only_changes() {
        let (all, seen) = recorded();
        let fleet = all.start();
        fleet.set(1, 10);
        fleet.set(1, 10);
        fleet.set(10, 100);
        assert_eq!(
            *seen.lock(),
            [TaskbarProgress::Indeterminate, TaskbarProgress::Percent(10)]
        );
    }
}
