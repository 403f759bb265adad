//! A fleet run as a pure state machine: which project comes next ([`next`]), what one
//! project's outcome does to the run ([`record`]), and Pause / Resume / Cancel ([`control`]).
//! The async loop that applies and publishes lives in `app/fleet.rs`; these rules need no
//! clock and no network, so their tests need no sleeps.

use serde::{Deserialize, Serialize};

/// `"running" | "paused" | "finished" | "cancelled" | "stopped"` (stopped: on the first failure,
/// as asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum FleetPhase {
    Running,
    Paused,
    Finished,
    Cancelled,
    Stopped,
}

impl FleetPhase {
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Finished | Self::Cancelled | Self::Stopped)
    }
}

/// Where one project of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RowState {
    Pending,
    Applying,
    Applied,
    NothingToChange,
    Conflict,
    Failed,
    NotReached,
}

/// One project's line of a run and of its report. No values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub tenant_id: String,
    pub project_id: String,
    pub name: String,
    pub production: bool,
    pub state: RowState,
    /// Why it failed or was not reached; the health watch's last word when watched.
    pub reason: Option<String>,
    /// The snapshot taken before its apply (restore it from the project's env screen).
    pub snapshot: Option<u32>,
}

/// A run as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetRun {
    pub id: String,
    pub profile_id: String,
    /// What it does, in a few words ("Rotate a value", "Undo of …").
    pub title: String,
    pub phase: FleetPhase,
    /// The run has ended (finished, cancelled or stopped): nothing more will happen to it.
    // Kept in step with `phase` by `FleetRun::set_phase`.
    pub over: bool,
    /// The row being applied.
    pub current: Option<u32>,
    /// A Cancel arrived while a project was being applied: the run stops after it.
    pub cancel_requested: bool,
    pub stop_on_failure: bool,
    pub watch_health: bool,
    pub rows: Vec<FleetRow>,
    /// How many rows stand where; brought up to date by [`FleetRun::recount`].
    #[serde(default)]
    pub tally: FleetTally,
    pub started_at: String,
    pub updated_at: String,
}

/// A run's rows counted, for its progress bar and its report's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetTally {
    /// Rows whose project is behind them: neither waiting nor being applied.
    pub done: u32,
    pub total: u32,
    pub applied: u32,
    pub nothing_to_change: u32,
    pub conflict: u32,
    pub failed: u32,
    pub not_reached: u32,
}

impl FleetTally {
    pub fn of(rows: &[FleetRow]) -> Self {
        let count = |state: RowState| rows.iter().filter(|r| r.state == state).count() as u32;
        let waiting = count(RowState::Pending) + count(RowState::Applying);
        Self {
            done: rows.len() as u32 - waiting,
            total: rows.len() as u32,
            applied: count(RowState::Applied),
            nothing_to_change: count(RowState::NothingToChange),
            conflict: count(RowState::Conflict),
            failed: count(RowState::Failed),
            not_reached: count(RowState::NotReached),
        }
    }
}

/// What one project's apply gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sent; `note`: the health watch's last word when the run watches health.
    Applied {
        snapshot: u32,
        note: Option<String>,
    },
    /// Sent, but the health watch did not see the project come back: the row is applied (its
    /// values are there, its snapshot taken) and says why; it counts as a failure for "stop on
    /// the first failure" — the person ordered staging first to find exactly this.
    Unhealthy {
        snapshot: u32,
        reason: String,
    },
    NothingToChange,
    Conflict,
    Failed {
        reason: String,
    },
}

/// What the loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Apply(usize),
    /// Paused: wait for Resume or Cancel.
    Wait,
    Done,
}

/// A person's control of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Control {
    Pause,
    Resume,
    Cancel,
}

impl FleetRun {
    /// Every change of phase goes through here, so `over` always agrees with it.
    fn set_phase(&mut self, phase: FleetPhase) {
        self.phase = phase;
        self.over = phase.is_terminal();
    }

    /// Brings `tally` up to date with the rows; every change of a run ends with it.
    pub fn recount(&mut self) {
        self.tally = FleetTally::of(&self.rows);
    }

    fn end(&mut self, phase: FleetPhase, reason: &str) {
        for row in &mut self.rows {
            if matches!(row.state, RowState::Pending | RowState::Applying) {
                row.state = RowState::NotReached;
                row.reason = Some(reason.to_owned());
            }
        }
        self.current = None;
        self.set_phase(phase);
    }
}

/// The next step; marks the row as being applied.
pub fn next(run: &mut FleetRun) -> Next {
    match run.phase {
        FleetPhase::Paused => return Next::Wait,
        phase if phase.is_terminal() => return Next::Done,
        _ => {}
    }
    if run.cancel_requested {
        run.end(FleetPhase::Cancelled, "Cancelled before this project.");
        return Next::Done;
    }
    match run.rows.iter().position(|r| r.state == RowState::Pending) {
        Some(i) => {
            run.rows[i].state = RowState::Applying;
            run.current = u32::try_from(i).ok();
            Next::Apply(i)
        }
        None => {
            run.current = None;
            run.set_phase(FleetPhase::Finished);
            Next::Done
        }
    }
}

/// Takes in the outcome of row `i`.
pub fn record(run: &mut FleetRun, i: usize, outcome: Outcome) {
    let Some(row) = run.rows.get_mut(i) else {
        return;
    };
    if row.state != RowState::Applying {
        // Not the row being applied (a late answer): changes nothing.
        return;
    }
    let stop_reason = match &outcome {
        Outcome::Failed { .. } => Some("Stopped after the first failure."),
        Outcome::Unhealthy { .. } => {
            Some("Stopped: a project before it did not come back healthy.")
        }
        _ => None,
    };
    match outcome {
        Outcome::Applied { snapshot, note } => {
            row.state = RowState::Applied;
            row.snapshot = Some(snapshot);
            row.reason = note;
        }
        Outcome::Unhealthy { snapshot, reason } => {
            row.state = RowState::Applied;
            row.snapshot = Some(snapshot);
            row.reason = Some(reason);
        }
        Outcome::NothingToChange => row.state = RowState::NothingToChange,
        Outcome::Conflict => {
            row.state = RowState::Conflict;
            row.reason = Some(
                "Someone changed this project's variables since the preview: nothing was \
                 sent. Open it to settle the conflict."
                    .to_owned(),
            );
        }
        Outcome::Failed { reason } => {
            row.state = RowState::Failed;
            row.reason = Some(reason);
        }
    }
    run.current = None;
    if let Some(reason) = stop_reason.filter(|_| run.stop_on_failure) {
        run.end(FleetPhase::Stopped, reason);
    } else if run.cancel_requested {
        run.end(FleetPhase::Cancelled, "Cancelled before this project.");
    }
}

/// Pause (after the current project), Resume, or Cancel (after the current project).
pub fn control(run: &mut FleetRun, control: Control) {
    if run.phase.is_terminal() {
        return;
    }
    match control {
        Control::Pause => run.set_phase(FleetPhase::Paused),
        Control::Resume => run.set_phase(FleetPhase::Running),
        Control::Cancel => {
            run.cancel_requested = true;
            if run.current.is_none() {
                run.end(FleetPhase::Cancelled, "Cancelled before this project.");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(n: usize, stop_on_failure: bool) -> FleetRun {
        FleetRun {
            id: "r".into(),
            profile_id: "p".into(),
            title: "t".into(),
            phase: FleetPhase::Running,
            over: false,
            current: None,
            cancel_requested: false,
            stop_on_failure,
            watch_health: false,
            rows: (0..n)
                .map(|i| FleetRow {
                    tenant_id: format!("t{i}"),
                    project_id: format!("p{i}"),
                    name: format!("n{i}"),
                    production: false,
                    state: RowState::Pending,
                    reason: None,
                    snapshot: None,
                })
                .collect(),
            tally: FleetTally::default(),
            started_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn states(run: &FleetRun) -> Vec<RowState> {
        run.rows.iter().map(|r| r.state).collect()
    }

    fn applied(snapshot: u32) -> Outcome {
        Outcome::Applied {
            snapshot,
            note: None,
        }
    }

    #[test]
    fn projects_go_in_order_and_a_conflict_or_failure_does_not_stop_the_rest() {
        let mut r = run(4, false);
        assert_eq!(next(&mut r), Next::Apply(0));
        assert_eq!(r.current, Some(0));
        record(&mut r, 0, applied(1));
        assert_eq!(next(&mut r), Next::Apply(1));
        record(&mut r, 1, Outcome::Conflict);
        assert_eq!(next(&mut r), Next::Apply(2));
        record(
            &mut r,
            2,
            Outcome::Failed {
                reason: "502".into(),
            },
        );
        assert_eq!(next(&mut r), Next::Apply(3));
        record(&mut r, 3, Outcome::NothingToChange);
        assert!(!r.over);
        assert_eq!(next(&mut r), Next::Done);
        assert_eq!(r.phase, FleetPhase::Finished);
        assert!(r.over);
        use RowState::*;
        assert_eq!(states(&r), [Applied, Conflict, Failed, NothingToChange]);
        assert_eq!(r.rows[0].snapshot, Some(1));
        assert_eq!(r.rows[2].reason.as_deref(), Some("502"));
        assert!(r.rows[1].reason.as_deref().unwrap().contains("settle"));
        r.recount();
        assert_eq!((r.tally.done, r.tally.total), (4, 4));
    }

    #[test]
    fn stop_on_first_failure() {
        let mut r = run(3, true);
        next(&mut r);
        record(&mut r, 0, Outcome::Failed { reason: "x".into() });
        assert_eq!(r.phase, FleetPhase::Stopped);
        assert!(r.over);
        assert_eq!(next(&mut r), Next::Done);
        use RowState::*;
        assert_eq!(states(&r), [Failed, NotReached, NotReached]);
        // A conflict is not a failure.
        let mut r = run(2, true);
        next(&mut r);
        record(&mut r, 0, Outcome::Conflict);
        assert_eq!(next(&mut r), Next::Apply(1));
    }

    #[test]
    fn a_project_that_does_not_come_back_healthy_is_applied_and_stops_a_run_that_stops_on_failure()
    {
        let unhealthy = || Outcome::Unhealthy {
            snapshot: 7,
            reason: "HTTP 503".into(),
        };
        let mut r = run(3, true);
        next(&mut r);
        record(&mut r, 0, unhealthy());
        assert_eq!(r.phase, FleetPhase::Stopped);
        use RowState::*;
        assert_eq!(states(&r), [Applied, NotReached, NotReached]);
        assert_eq!(r.rows[0].snapshot, Some(7));
        assert_eq!(r.rows[0].reason.as_deref(), Some("HTTP 503"));
        assert!(r.rows[1].reason.as_deref().unwrap().contains("healthy"));
        // Without stop on failure the run goes on.
        let mut r = run(2, false);
        next(&mut r);
        record(&mut r, 0, unhealthy());
        assert_eq!(next(&mut r), Next::Apply(1));
    }

    #[test]
    fn cancel_stops_after_the_current_project() {
        let mut r = run(5, false);
        next(&mut r);
        record(&mut r, 0, applied(1));
        assert_eq!(next(&mut r), Next::Apply(1));
        control(&mut r, Control::Cancel);
        assert_eq!(r.phase, FleetPhase::Running, "the current project finishes");
        assert!(!r.over);
        record(&mut r, 1, applied(2));
        assert_eq!(r.phase, FleetPhase::Cancelled);
        assert!(r.over);
        assert_eq!(next(&mut r), Next::Done);
        use RowState::*;
        assert_eq!(
            states(&r),
            [Applied, Applied, NotReached, NotReached, NotReached]
        );
        // Cancel between projects ends at once; later controls change nothing.
        let mut r = run(2, false);
        control(&mut r, Control::Cancel);
        assert_eq!(r.phase, FleetPhase::Cancelled);
        control(&mut r, Control::Resume);
        assert_eq!(r.phase, FleetPhase::Cancelled);
        assert_eq!(states(&r), [NotReached, NotReached]);
    }

    #[test]
    fn pause_waits_and_resume_goes_on() {
        let mut r = run(2, false);
        next(&mut r);
        control(&mut r, Control::Pause);
        record(&mut r, 0, applied(1));
        assert!(!r.over, "paused is not over");
        assert_eq!(next(&mut r), Next::Wait);
        assert_eq!(r.rows[1].state, RowState::Pending);
        control(&mut r, Control::Resume);
        assert_eq!(next(&mut r), Next::Apply(1));
        // Cancel while paused ends it.
        let mut r = run(2, false);
        control(&mut r, Control::Pause);
        control(&mut r, Control::Cancel);
        assert_eq!(next(&mut r), Next::Done);
        assert_eq!(r.phase, FleetPhase::Cancelled);
    }

    #[test]
    fn late_outcomes_change_nothing() {
        let mut r = run(2, false);
        record(&mut r, 0, applied(1));
        assert_eq!(r.rows[0].state, RowState::Pending);
        record(&mut r, 9, applied(1));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["phase"], "running");
        assert_eq!(json["rows"][0]["state"], "pending");
        assert_eq!(json["cancelRequested"], false);
        assert_eq!(json["over"], false);
    }

    #[test]
    fn the_tally_counts_rows_by_where_they_stand() {
        let mut r = run(6, false);
        r.recount();
        assert_eq!((r.tally.done, r.tally.total), (0, 6));
        let Next::Apply(first) = next(&mut r) else {
            panic!("the first row is next");
        };
        record(
            &mut r,
            first,
            Outcome::Applied {
                snapshot: 1,
                note: None,
            },
        );
        let Next::Apply(second) = next(&mut r) else {
            panic!("the second row is next");
        };
        record(&mut r, second, Outcome::Conflict);
        let Next::Apply(third) = next(&mut r) else {
            panic!("the third row is next");
        };
        r.recount();
        // The row being applied is not done yet.
        assert_eq!((r.tally.done, r.tally.applied, r.tally.conflict), (2, 1, 1));
        record(
            &mut r,
            third,
            Outcome::Failed {
                reason: "boom".into(),
            },
        );
        control(&mut r, Control::Cancel);
        r.recount();
        assert_eq!(
            r.tally,
            FleetTally {
                done: 6,
                total: 6,
                applied: 1,
                nothing_to_change: 0,
                conflict: 1,
                failed: 1,
                not_reached: 3
            }
        );
    }
}
