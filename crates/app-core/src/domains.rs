//! Custom domains and plans, without I/O: the domain-name rule, the CNAME a domain needs, what
//! each DNS validation state is called (the dashboard's words), the watch that follows a pending
//! validation with backoff, and what a plan change means.

use std::time::Duration;

use hasura_cloud::backoff::Backoff;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::projects::CLOUD_CONSOLE_BASE;

/// The form field the domain rule's errors name.
pub const FQDN_FIELD: &str = "fqdn";

/// The host name a project answers on, which a custom domain's CNAME points to (API notes §9:
/// validation checks that the name resolves to `<slug>.hasura.app`).
pub fn cname_target(slug: &str) -> String {
    format!("{slug}.hasura.app")
}

/// A domain name as typed, checked and normalised (trimmed, lowercase, no trailing dot).
pub fn fqdn(text: &str) -> Result<String, AppError> {
    let problem = |m: &str| Err(AppError::invalid(FQDN_FIELD, m));
    let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return problem("Type a domain name, such as api.example.com.");
    }
    if name.contains("://") || name.contains('/') {
        return problem(
            "Type the domain name alone, such as api.example.com, without https:// or a path.",
        );
    }
    if name.starts_with("*.") {
        return problem(
            "Wildcard domains cannot be added; type one name, such as api.example.com.",
        );
    }
    if name.len() > 253 {
        return problem("A domain name has at most 253 characters.");
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return problem("Type a full domain name with a dot, such as api.example.com.");
    }
    for label in &labels {
        if label.is_empty() {
            return problem("A domain name cannot have two dots in a row.");
        }
        if label.len() > 63 {
            return problem("Each part of a domain name between dots has at most 63 characters.");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return problem(
                "Use only letters, digits, hyphens and dots (international names in their xn-- form).",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return problem("A part of a domain name cannot start or end with a hyphen.");
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return problem("Type a domain name, not an IP address.");
    }
    if name == "hasura.app" || name.ends_with(".hasura.app") {
        return problem("A hasura.app name is already the project's own; add a domain of yours.");
    }
    Ok(name)
}

/// Where a custom domain's DNS validation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum DnsValidation {
    Pending,
    Validated,
    Failed,
    /// A value the app does not know; shown as sent.
    Other,
}

impl DnsValidation {
    pub fn from_api(value: &str) -> Self {
        match value {
            "pending" => DnsValidation::Pending,
            "succeeded" => DnsValidation::Validated,
            "failed" => DnsValidation::Failed,
            _ => DnsValidation::Other,
        }
    }

    pub fn is_settled(self) -> bool {
        !matches!(self, DnsValidation::Pending)
    }
}

/// The dashboard's words for a validation state, and what the person may do.
pub fn dns_words(state: DnsValidation, sent: &str, target: &str) -> (String, String) {
    match state {
        DnsValidation::Pending => (
            "DNS validation pending".into(),
            format!(
                "Waiting for the CNAME record to point to {target}. Up to 24 hours is normal \
                 while DNS changes spread."
            ),
        ),
        DnsValidation::Validated => (
            "DNS validated".into(),
            "The domain points to the project.".into(),
        ),
        DnsValidation::Failed => (
            "DNS validation failed".into(),
            format!(
                "The domain does not point to {target}. Check the CNAME record, then delete the \
                 domain and add it again."
            ),
        ),
        DnsValidation::Other => (format!("DNS validation: {sent}"), String::new()),
    }
}

/// The certificate column in words (`letsencrypt`, `vault://…`, `none`).
pub fn certificate_words(cert: &str) -> String {
    match cert.trim() {
        "letsencrypt" => "Let's Encrypt certificate".into(),
        c if c.starts_with("vault://") => "Custom certificate".into(),
        "" | "none" => "No certificate yet".into(),
        other => format!("Certificate: {other}"),
    }
}

/// How a pending validation is followed: reads with growing pauses, for a limited time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DomainWatch {
    pub intervals: Backoff,
    /// After this long the watch stops; the domain stays pending and the UI says to look later.
    pub budget: Duration,
}

impl Default for DomainWatch {
    fn default() -> Self {
        Self {
            intervals: Backoff {
                initial: Duration::from_secs(2),
                factor: 1.5,
                max: Duration::from_secs(30),
            },
            budget: Duration::from_secs(10 * 60),
        }
    }
}

/// The watch's state: how long it has waited and the pause it would take next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WatchState {
    pub waited: Duration,
    pub next: Duration,
}

impl DomainWatch {
    pub fn start(&self) -> WatchState {
        WatchState {
            waited: Duration::ZERO,
            next: self.intervals.initial,
        }
    }

    /// After a read that found `state`: the pause before the next read and the state after it,
    /// or `None` when the watch is done (settled, or out of time).
    pub fn step(&self, watch: WatchState, state: DnsValidation) -> Option<(Duration, WatchState)> {
        if state.is_settled() || watch.waited >= self.budget {
            return None;
        }
        let pause = watch.next.min(self.budget - watch.waited);
        Some((
            pause,
            WatchState {
                waited: watch.waited + pause,
                next: self.intervals.after(watch.next),
            },
        ))
    }
}

/// Reads until the validation settles or the watch's time runs out, pausing with `pause`
/// between reads (a timer in the app, the simulator's clock in tests); a pause that answers
/// `false` ends the watch early (nobody is looking any more). Answers the last read.
pub async fn follow<T, E, R, RF, P, PF>(
    watch: &DomainWatch,
    mut read: R,
    mut pause: P,
    state_of: impl Fn(&T) -> DnsValidation,
) -> Result<T, E>
where
    R: FnMut() -> RF,
    RF: std::future::Future<Output = Result<T, E>>,
    P: FnMut(Duration) -> PF,
    PF: std::future::Future<Output = bool>,
{
    let mut state = watch.start();
    loop {
        let seen = read().await?;
        match watch.step(state, state_of(&seen)) {
            None => return Ok(seen),
            Some((delay, next)) => {
                if !pause(delay).await {
                    return Ok(seen);
                }
                state = next;
            }
        }
    }
}

/// The plans a project can be moved to, with names for people (the API's `Plan` enum).
pub const PLAN_CHOICES: &[(&str, &str)] = &[
    ("cloud_free", "Free"),
    ("cloud_free_v2", "Free (v2)"),
    ("cloud_payg", "Professional (pay as you go)"),
    ("cloud_shared", "Shared"),
];

pub fn plan_label(plan: &str) -> String {
    PLAN_CHOICES
        .iter()
        .find(|(p, _)| *p == plan)
        .map(|(_, label)| (*label).to_owned())
        .unwrap_or_else(|| plan.to_owned())
}

/// What moving from `from` to `to` means, in sentences (API notes §9, Hasura's docs).
pub fn plan_change_notes(from: Option<&str>, to: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let is_free = |p: &str| p.starts_with("cloud_free");
    if is_free(to) && from.is_some_and(|f| !is_free(f)) {
        notes.push(
            "Moving back to Free is charged up to the end of today; the project then has the \
             Free plan's limits."
                .into(),
        );
    }
    if !is_free(to) {
        notes.push("The new plan is billed from now on, by Hasura Cloud's pricing.".into());
    }
    notes.push("A project in maintenance mode cannot change its plan.".into());
    notes
}

/// The dashboard's page for a project's domains or plan, for a token that cannot use them here.
pub fn dashboard_domains_url(project_id: &str) -> String {
    format!("{CLOUD_CONSOLE_BASE}/project/{project_id}/domain")
}

pub fn dashboard_plan_url(project_id: &str) -> String {
    format!("{CLOUD_CONSOLE_BASE}/project/{project_id}/details")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_are_checked_and_normalised() {
        assert_eq!(fqdn("  API.Example.com. ").unwrap(), "api.example.com");
        assert_eq!(
            fqdn("a-b.c1.example.co.uk").unwrap(),
            "a-b.c1.example.co.uk"
        );
        assert_eq!(
            fqdn("xn--bcher-kva.example").unwrap(),
            "xn--bcher-kva.example"
        );
        for bad in [
            "",
            "localhost",
            "https://api.example.com",
            "api.example.com/v1",
            "*.example.com",
            "a..example.com",
            "-a.example.com",
            "a_b.example.com",
            "bücher.example",
            "10.0.0.1",
            "shop.hasura.app",
            &format!("{}.com", "a".repeat(64)),
        ] {
            let e = fqdn(bad).unwrap_err();
            assert!(
                matches!(&e, AppError::InvalidInput { field: Some(f), .. } if f == FQDN_FIELD),
                "{bad}"
            );
            assert!(e.message().ends_with('.'), "{bad}: {}", e.message());
        }
    }

    #[test]
    fn the_cname_points_to_the_projects_host_name() {
        assert_eq!(cname_target("shop"), "shop.hasura.app");
    }

    #[test]
    fn validation_states_have_the_dashboards_words() {
        assert_eq!(DnsValidation::from_api("pending"), DnsValidation::Pending);
        assert_eq!(
            DnsValidation::from_api("succeeded"),
            DnsValidation::Validated
        );
        assert_eq!(DnsValidation::from_api("failed"), DnsValidation::Failed);
        assert_eq!(DnsValidation::from_api("queued"), DnsValidation::Other);
        let (title, hint) = dns_words(DnsValidation::Pending, "pending", "shop.hasura.app");
        assert_eq!(title, "DNS validation pending");
        assert!(hint.contains("24 hours") && hint.contains("shop.hasura.app"));
        assert_eq!(
            dns_words(DnsValidation::Validated, "succeeded", "x").0,
            "DNS validated"
        );
        assert_eq!(
            dns_words(DnsValidation::Other, "queued", "x").0,
            "DNS validation: queued"
        );
        assert_eq!(
            certificate_words("letsencrypt"),
            "Let's Encrypt certificate"
        );
        assert_eq!(certificate_words("vault://certs/x"), "Custom certificate");
        assert_eq!(certificate_words("none"), "No certificate yet");
    }

    #[test]
    fn the_watch_backs_off_stops_when_settled_and_when_out_of_time() {
        let watch = DomainWatch {
            intervals: Backoff {
                initial: Duration::from_secs(2),
                factor: 2.0,
                max: Duration::from_secs(5),
            },
            budget: Duration::from_secs(10),
        };
        let mut state = watch.start();
        let mut pauses = Vec::new();
        while let Some((pause, next)) = watch.step(state, DnsValidation::Pending) {
            pauses.push(pause.as_secs());
            state = next;
        }
        // 2, 4, then capped at 5 but cut to what is left of the 10 s.
        assert_eq!(pauses, vec![2, 4, 4]);
        assert_eq!(watch.step(watch.start(), DnsValidation::Validated), None);
        assert_eq!(watch.step(watch.start(), DnsValidation::Failed), None);
    }

    #[tokio::test]
    async fn follow_reads_until_settled_without_sleeping() {
        let watch = DomainWatch::default();
        let answers = std::sync::Mutex::new(vec![
            DnsValidation::Validated,
            DnsValidation::Pending,
            DnsValidation::Pending,
        ]);
        let paused = std::sync::Mutex::new(Vec::new());
        let last: Result<DnsValidation, ()> = follow(
            &watch,
            || {
                let next = answers.lock().unwrap().pop().unwrap();
                async move { Ok(next) }
            },
            |d| {
                paused.lock().unwrap().push(d);
                async { true }
            },
            |s| *s,
        )
        .await;
        assert_eq!(last, Ok(DnsValidation::Validated));
        assert_eq!(
            *paused.lock().unwrap(),
            vec![Duration::from_secs(2), Duration::from_secs(3)]
        );
    }

    #[tokio::test]
    async fn a_pause_that_says_stop_ends_the_watch_with_the_last_read() {
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let last: Result<DnsValidation, ()> = follow(
            &DomainWatch::default(),
            || {
                reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                async { Ok(DnsValidation::Pending) }
            },
            |_| async { false },
            |s| *s,
        )
        .await;
        assert_eq!(last, Ok(DnsValidation::Pending));
        assert_eq!(reads.into_inner(), 1);
    }

    #[test]
    fn a_plan_change_says_what_it_means() {
        let to_free = plan_change_notes(Some("cloud_payg"), "cloud_free");
        assert!(to_free[0].contains("charged up to the end of today"));
        assert!(to_free.iter().any(|n| n.contains("maintenance mode")));
        let to_paid = plan_change_notes(Some("cloud_free"), "cloud_payg");
        assert!(!to_paid.iter().any(|n| n.contains("end of today")));
        assert_eq!(plan_label("cloud_payg"), "Professional (pay as you go)");
        assert_eq!(plan_label("cloud_gold"), "cloud_gold");
    }
}
