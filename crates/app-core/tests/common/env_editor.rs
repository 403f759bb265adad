//! Helpers for the env editor's tests: seeded projects, a second writer with the same token, and
//! short ways to write edits and read drafts.

use std::collections::BTreeMap;

use app_core::{AppError, ChangeKind, EnvDraft, EnvEdit};
use cloud_sim::{SeededProject, Simulator};
use hasura_cloud::{Client, ClientConfig, TenantId, Token};

use super::{TOKEN, fast_clients, field_of};

pub const ADMIN: &str = "HASURA_GRAPHQL_ADMIN_SECRET";

pub fn seed(sim: &Simulator, name: &str, envs: &[(&str, &str)]) -> SeededProject {
    sim.control()
        .seed_project(name, "aws", "us-east-2", "cloud_free", envs)
}

/// Someone else: a second client with the same token, straight to the API.
pub fn other_writer(sim: &Simulator) -> Client {
    Client::new(
        Token::new(TOKEN.to_owned()),
        ClientConfig {
            endpoint: sim.graphql_url(),
            ..fast_clients()
        },
    )
    .unwrap()
}

/// Someone else sets `pairs` on the project, on `hash`.
pub async fn teammate_sets(
    sim: &Simulator,
    project: &SeededProject,
    hash: &str,
    pairs: &[(&str, &str)],
) {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    other_writer(sim)
        .update_env(tid(project), hash, &pairs)
        .await
        .unwrap();
}

pub fn tid(project: &SeededProject) -> TenantId {
    project.tenant_id.parse().unwrap()
}

pub fn set(key: &str, value: &str) -> EnvEdit {
    EnvEdit::Set {
        key: key.into(),
        value: value.into(),
    }
}

pub fn remove(key: &str) -> EnvEdit {
    EnvEdit::Remove { key: key.into() }
}

/// The project's variables on the server, without the admin secret.
pub async fn server_vars(sim: &Simulator, project: &SeededProject) -> BTreeMap<String, String> {
    other_writer(sim)
        .get_env(tid(project))
        .await
        .unwrap()
        .vars
        .iter()
        .filter(|v| v.key != ADMIN)
        .map(|v| (v.key.clone(), v.value.text.clone()))
        .collect()
}

pub fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The draft's base without the admin secret.
pub fn base_of(draft: &EnvDraft) -> BTreeMap<String, String> {
    draft
        .vars
        .iter()
        .filter(|v| v.key != ADMIN)
        .map(|v| (v.key.clone(), v.value.clone()))
        .collect()
}

pub fn changes_of(draft: &EnvDraft) -> Vec<(&str, ChangeKind)> {
    draft
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.kind))
        .collect()
}

pub fn field(e: &AppError) -> Option<&str> {
    field_of(e)
}
