//! Injected failures: what infrastructure in front of the real API can do to a request, and the
//! rare bugs of the service itself that real users reported (the "behaviour" kinds, which the
//! action they concern consumes instead of the HTTP layer).

use parking_lot::Mutex;
use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer normally, but only after this delay.
    Latency { ms: u64 },
    /// Answer with this HTTP status and an HTML page, as a load balancer does (500, 502, 503…).
    HttpError { status: u16 },
    /// Answer 429 with a `Retry-After` header.
    RateLimited { retry_after_secs: u64 },
    /// Answer 200 with a truncated JSON body.
    MalformedJson,
    /// Close the connection without answering, before the request runs.
    DropConnection,
    /// Run the request, then close the connection without answering: the change happened but
    /// the caller cannot know.
    DropResponse,
    /// Run the request, wait `delay_ms`, then answer with this HTTP status and an HTML page, as
    /// a gateway that gave up waiting does (with a delay longer than the caller waits: a
    /// timeout). The change happened but the caller is told it failed.
    LoseAnswer { status: u16, delay_ms: u64 },
    /// Answer 200 with Hasura's internal-error body (`GenericServerError` and a request id).
    ServerError,
    /// `createTenant` ignores the name asked for and hands out a random one, as users saw and
    /// Hasura staff reproduced (graphql-engine #9732).
    IgnoreProjectName,
    /// A preview app's creation makes two projects with the same name, both counting toward
    /// the free tier (graphql-engine #10287).
    DuplicatePreviewApp,
    /// A preview app's creation fails with `public_event_data: null` and the Go-formatted error
    /// of a failed `createTenant` inside (graphql-engine #9731).
    PreviewCreationError,
    /// A preview app's creation task runs twice: its first `success` event names a deployment
    /// job that was terminated (`jobs_by_pk` answers null), a later one the live job
    /// (hasura-cloud-preview-apps #114).
    RetriedCreation,
    /// Someone else changes the project's variables (sets `SECOND_WRITER`) just before an
    /// `updateTenantEnv` runs, so its `currentHash` is stale: a conflict on the Nth project of a
    /// fleet change (`skip` N − 1, `times` 1).
    SecondWriter,
    /// The restart after an `updateTenantEnv` does not bring the project back: its `/healthz`
    /// answers 503 until its variables change again (as when a rotated secret is wrong). The
    /// Nth project of a fleet change that watches health (`skip` N − 1, `times` 1).
    BrokenRestart,
}

impl FaultKind {
    /// A bug of the service itself: the action it concerns takes it (with [`Faults::take`]);
    /// the HTTP layer never answers with it.
    pub fn is_behaviour(&self) -> bool {
        matches!(
            self,
            Self::IgnoreProjectName
                | Self::DuplicatePreviewApp
                | Self::PreviewCreationError
                | Self::RetriedCreation
                | Self::SecondWriter
                | Self::BrokenRestart
        )
    }
}

/// A fault and when it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Applies to requests whose operationName or any root field has this name; all if absent.
    #[serde(default)]
    pub operation: Option<String>,
    /// Applies this many times, then is removed; for ever if absent.
    #[serde(default)]
    pub times: Option<u32>,
    /// Applies to this fraction (0–1) of the matching requests; all if absent.
    #[serde(default)]
    pub rate: Option<f64>,
    /// Lets this many matching requests through first (a fault on the Nth project's update:
    /// `skip` N − 1, `times` 1).
    #[serde(default)]
    pub skip: Option<u32>,
}

impl FaultRule {
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            operation: None,
            times: None,
            rate: None,
            skip: None,
        }
    }
    pub fn skip(mut self, skip: u32) -> Self {
        self.skip = Some(skip);
        self
    }
    pub fn on(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = Some(rate);
        self
    }
}

/// What to do to one request.
#[derive(Debug, Default, PartialEq)]
pub struct Decision {
    pub delay_ms: u64,
    pub fault: Option<FaultKind>,
}

impl Decision {
    /// The fault runs the request before spoiling its answer.
    pub fn runs_the_request(&self) -> bool {
        matches!(
            self.fault,
            Some(FaultKind::DropResponse | FaultKind::LoseAnswer { .. })
        )
    }
}

#[derive(Default)]
pub struct Faults(Mutex<Vec<FaultRule>>);

impl Faults {
    pub fn add(&self, rule: FaultRule) {
        self.0.lock().push(rule);
    }
    pub fn clear(&self) {
        self.0.lock().clear();
    }
    pub fn list(&self) -> Vec<FaultRule> {
        self.0.lock().clone()
    }

    /// Latencies add up; the first other fault that applies answers the request. Behaviour
    /// faults are left for their action.
    pub fn decide(&self, operation_name: Option<&str>, root_fields: &[String]) -> Decision {
        let mut rules = self.0.lock();
        let mut decision = Decision::default();
        let mut rng = rand::rng();
        for rule in rules.iter_mut().filter(|r| !r.kind.is_behaviour()) {
            let matches = match &rule.operation {
                None => true,
                Some(op) => {
                    operation_name == Some(op.as_str()) || root_fields.iter().any(|f| f == op)
                }
            };
            if !matches || rule.times == Some(0) {
                continue;
            }
            if let Some(skip) = rule.skip.as_mut().filter(|s| **s > 0) {
                *skip -= 1;
                continue;
            }
            if let FaultKind::Latency { .. } = rule.kind {
            } else if decision.fault.is_some() {
                continue;
            }
            if rule.rate.is_some_and(|rate| rng.random::<f64>() >= rate) {
                continue;
            }
            if let Some(times) = &mut rule.times {
                *times -= 1;
            }
            match &rule.kind {
                FaultKind::Latency { ms } => decision.delay_ms += ms,
                other => decision.fault = Some(other.clone()),
            }
        }
        rules.retain(|r| r.times != Some(0));
        decision
    }

    /// Whether the behaviour fault `kind` applies now (its `times` and `rate` counted); the
    /// action it concerns asks.
    pub fn take(&self, kind: &FaultKind) -> bool {
        let mut rules = self.0.lock();
        let mut applies = false;
        for rule in rules
            .iter_mut()
            .filter(|r| &r.kind == kind && r.times != Some(0))
        {
            if let Some(skip) = rule.skip.as_mut().filter(|s| **s > 0) {
                *skip -= 1;
                continue;
            }
            if rule
                .rate
                .is_some_and(|rate| rand::rng().random::<f64>() >= rate)
            {
                continue;
            }
            if let Some(times) = &mut rule.times {
                *times -= 1;
            }
            applies = true;
            break;
        }
        rules.retain(|r| r.times != Some(0));
        applies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_can_wait_for_the_nth_matching_request() {
        let faults = Faults::default();
        faults.add(
            FaultRule::new(FaultKind::HttpError { status: 502 })
                .on("updateTenantEnv")
                .skip(2)
                .times(1),
        );
        let hit: Vec<bool> = (0..5)
            .map(|_| faults.decide(Some("updateTenantEnv"), &[]).fault.is_some())
            .collect();
        assert_eq!(hit, [false, false, true, false, false]);
        assert!(faults.list().is_empty());
        let rule: FaultRule =
            serde_json::from_str(r#"{"kind": "latency", "ms": 50, "skip": 3}"#).unwrap();
        assert_eq!(rule.skip, Some(3));
    }

    #[test]
    fn rules_match_by_operation_count_down_and_disappear() {
        let faults = Faults::default();
        faults.add(
            FaultRule::new(FaultKind::HttpError { status: 502 })
                .on("getTenantEnv")
                .times(2),
        );
        faults.add(FaultRule::new(FaultKind::Latency { ms: 5 }));
        let root = vec!["getTenantEnv".to_string()];
        let other = vec!["projects".to_string()];
        assert_eq!(
            faults.decide(None, &other),
            Decision {
                delay_ms: 5,
                fault: None
            }
        );
        for _ in 0..2 {
            let d = faults.decide(None, &root);
            assert_eq!(d.fault, Some(FaultKind::HttpError { status: 502 }));
        }
        assert_eq!(faults.decide(None, &root).fault, None);
        assert_eq!(faults.list().len(), 1);
    }

    #[test]
    fn rate_zero_never_applies_and_rate_one_always_does() {
        let faults = Faults::default();
        faults.add(FaultRule::new(FaultKind::DropConnection).rate(0.0));
        assert_eq!(faults.decide(None, &[]).fault, None);
        faults.clear();
        faults.add(FaultRule::new(FaultKind::MalformedJson).rate(1.0));
        assert_eq!(
            faults.decide(Some("op"), &[]).fault,
            Some(FaultKind::MalformedJson)
        );
    }

    #[test]
    fn a_lost_answer_is_a_fault_that_runs_the_request() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"kind":"lose_answer","status":502,"delay_ms":40,"operation":"updateTenantEnv"}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new(FaultKind::LoseAnswer {
                status: 502,
                delay_ms: 40
            })
            .on("updateTenantEnv")
        );
        let faults = Faults::default();
        faults.add(rule);
        let decision = faults.decide(Some("updateTenantEnv"), &[]);
        assert!(decision.runs_the_request());
        assert!(!Decision::default().runs_the_request());
    }

    #[test]
    fn behaviour_faults_are_taken_by_their_action_not_by_the_http_layer() {
        let faults = Faults::default();
        let rule: FaultRule =
            serde_json::from_str(r#"{"kind":"duplicate_preview_app","times":1}"#).unwrap();
        assert_eq!(
            rule,
            FaultRule::new(FaultKind::DuplicatePreviewApp).times(1)
        );
        faults.add(rule);
        assert_eq!(faults.decide(None, &[]), Decision::default());
        assert!(!faults.take(&FaultKind::IgnoreProjectName));
        assert!(faults.take(&FaultKind::DuplicatePreviewApp));
        assert!(!faults.take(&FaultKind::DuplicatePreviewApp));
        assert!(faults.list().is_empty());
    }

    #[test]
    fn rules_read_from_json() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"kind":"rate_limited","retry_after_secs":3,"operation":"projects","times":1}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new(FaultKind::RateLimited {
                retry_after_secs: 3
            })
            .on("projects")
            .times(1)
        );
    }
}
