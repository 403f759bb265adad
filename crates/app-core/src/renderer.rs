//! When the window's renderer dies under the app.
//!
//! The page runs in a process of its own (WebKit's web process, WebView2's browser process), which
//! can die while the app lives on: a GPU driver bug, the OOM killer, a crash in the engine.
//! Everything a person was doing lives in Rust — the active profile, staged env edits and their
//! conflicts, snapshots, preview-app watches — so the shell loads the page again and the UI comes
//! back where it was. [`RendererWatch`] decides whether to reload or to stop (a renderer that keeps
//! dying would otherwise loop), and keeps the screen the UI last said it was on.
//!
//! No token or env value passes through here: a [`Location`] holds screen names and ids.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// This many stops within [`RESTART_WINDOW`] and the page is not loaded again on its own.
pub const RESTART_LIMIT: usize = 3;
/// See [`RESTART_LIMIT`].
pub const RESTART_WINDOW: Duration = Duration::from_secs(60);

/// A screen of the UI, as the UI names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "name", rename_all = "camelCase")]
pub enum Location {
    Welcome,
    SignIn {
        #[serde(rename = "profileId")]
        profile_id: Option<String>,
    },
    Projects,
    Project {
        #[serde(rename = "projectId")]
        project_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[specta(optional)]
        tab: Option<ProjectTab>,
    },
    Create,
    LookUp,
    Previews {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[specta(optional)]
        view: Option<PreviewView>,
        #[serde(default, skip_serializing_if = "Option::is_none", rename = "runId")]
        #[specta(optional)]
        run_id: Option<String>,
    },
    Activity,
}

/// The tabs of a project's screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ProjectTab {
    Overview,
    Env,
    Collaborators,
}

/// The views of the preview-apps section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum PreviewView {
    List,
    New,
    Run,
}

/// What the shell does after the renderer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Load the app's page again; the UI asks for [`RendererWatch::take_resume`] as it starts.
    Reload,
    /// It stopped [`RESTART_LIMIT`] times within [`RESTART_WINDOW`]: show a plain page that says so
    /// instead of loading the app again.
    GiveUp,
}

/// What the UI finds when it starts again after the renderer stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Resume {
    /// The screen it was on, when it had said.
    pub location: Option<Location>,
    /// How many times the renderer stopped in this run of the app.
    pub restarts: u32,
}

#[derive(Default)]
struct State {
    location: Option<Location>,
    /// When the renderer stopped, within the last [`RESTART_WINDOW`].
    recent: VecDeque<Instant>,
    restarts: u32,
    /// Set by a stop, taken by the next page that starts.
    resume: Option<Resume>,
}

/// Keeps where the UI is and decides what a renderer stop leads to. Safe to share between threads.
#[derive(Default)]
pub struct RendererWatch {
    state: Mutex<State>,
}

impl RendererWatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// The UI moved to `location`.
    pub fn remember(&self, location: Location) {
        self.state.lock().location = Some(location);
    }

    /// The renderer stopped at `now`: reload, or give up when it keeps stopping.
    pub fn renderer_stopped(&self, now: Instant) -> Recovery {
        let mut state = self.state.lock();
        state
            .recent
            .retain(|at| now.saturating_duration_since(*at) < RESTART_WINDOW);
        state.recent.push_back(now);
        state.restarts = state.restarts.saturating_add(1);
        // Also after giving up: "Try again" on the plain page returns to the same screen.
        state.resume = Some(Resume {
            location: state.location.clone(),
            restarts: state.restarts,
        });
        if state.recent.len() >= RESTART_LIMIT {
            Recovery::GiveUp
        } else {
            Recovery::Reload
        }
    }

    /// Asked once by a page as it starts: `Some` when it was loaded again after a stop.
    pub fn take_resume(&self) -> Option<Resume> {
        self.state.lock().resume.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_tab() -> Location {
        Location::Project {
            project_id: "3f1c2a7e-0000-4000-8000-000000000001".into(),
            tab: Some(ProjectTab::Env),
        }
    }

    #[test]
    fn a_normal_start_has_nothing_to_resume() {
        let watch = RendererWatch::new();
        watch.remember(env_tab());
        assert_eq!(watch.take_resume(), None);
    }

    #[test]
    fn a_stop_reloads_and_the_next_page_resumes_where_the_ui_was_once() {
        let watch = RendererWatch::new();
        watch.remember(Location::Projects);
        watch.remember(env_tab());
        assert_eq!(watch.renderer_stopped(Instant::now()), Recovery::Reload);
        assert_eq!(
            watch.take_resume(),
            Some(Resume {
                location: Some(env_tab()),
                restarts: 1
            })
        );
        // A later reload by the person is a normal start.
        assert_eq!(watch.take_resume(), None);
    }

    #[test]
    fn a_stop_before_the_ui_said_where_it_was_resumes_without_a_location() {
        let watch = RendererWatch::new();
        assert_eq!(watch.renderer_stopped(Instant::now()), Recovery::Reload);
        assert_eq!(watch.take_resume().map(|r| r.location), Some(None));
    }

    #[test]
    fn the_third_stop_within_a_minute_gives_up() {
        let watch = RendererWatch::new();
        let t0 = Instant::now();
        assert_eq!(watch.renderer_stopped(t0), Recovery::Reload);
        assert_eq!(
            watch.renderer_stopped(t0 + Duration::from_secs(20)),
            Recovery::Reload
        );
        assert_eq!(
            watch.renderer_stopped(t0 + Duration::from_secs(59)),
            Recovery::GiveUp
        );
        // "Try again" on the plain page still returns to the screen, and counts on.
        assert_eq!(watch.take_resume().map(|r| r.restarts), Some(3));
        assert_eq!(
            watch.renderer_stopped(t0 + Duration::from_secs(61)),
            Recovery::GiveUp
        );
    }

    #[test]
    fn stops_further_apart_than_a_minute_keep_reloading() {
        let watch = RendererWatch::new();
        let t0 = Instant::now();
        for i in 0..10 {
            assert_eq!(
                watch.renderer_stopped(t0 + Duration::from_secs(31 * i)),
                Recovery::Reload,
                "stop {i}"
            );
        }
        assert_eq!(watch.take_resume().map(|r| r.restarts), Some(10));
    }

    #[test]
    fn locations_cross_ipc_as_the_ui_names_them() {
        let json = serde_json::to_value(env_tab()).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({ "name": "project", "projectId": "3f1c2a7e-0000-4000-8000-000000000001", "tab": "env" })
        );
        let back: Location = serde_json::from_value(serde_json::json!({ "name": "previews" }))
            .unwrap_or(Location::Welcome);
        assert_eq!(
            back,
            Location::Previews {
                view: None,
                run_id: None
            }
        );
        let sign_in: Result<Location, _> =
            serde_json::from_value(serde_json::json!({ "name": "signIn", "profileId": null }));
        assert_eq!(sign_in.ok(), Some(Location::SignIn { profile_id: None }));
    }
}
