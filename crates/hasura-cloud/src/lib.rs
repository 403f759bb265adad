//! A typed async client for the Hasura Cloud control-plane GraphQL API
//! (`https://data.pro.hasura.io/v1/graphql`), used by Hasura Cloud Desktop.
//!
//! It authenticates with a personal access token ([`Token`], sent as `Authorization: pat …`),
//! sends only the GraphQL documents in [`documents`] (validated against the schema by the tests)
//! with user input passed as variables, and maps every answer — GraphQL errors arrive with
//! HTTP 200 — to typed results or one [`Error`]. Queries are retried on transient failures;
//! mutations never are.
//!
//! Project and tenant ids are different uuids, and the API takes the tenant id for env vars,
//! deletion and renaming; [`ProjectId`] and [`TenantId`] keep them apart.
//!
//! ```no_run
//! # async fn demo() -> Result<(), hasura_cloud::Error> {
//! use hasura_cloud::{Client, ClientConfig, Token};
//! let client = Client::new(Token::new("…".into()), ClientConfig::default())?;
//! for project in client.list_projects().await? {
//!     println!("{} {}", project.name, project.endpoint);
//! }
//! # Ok(()) }
//! ```

mod access;
pub mod backoff;
mod client;
mod collaborators;
mod config;
mod config_status;
pub mod documents;
mod domains;
mod env;
mod error;
pub mod http;
mod ids;
mod response;
mod retry;
mod token;
mod transport;
mod types;

#[cfg(test)]
mod tests;

pub use access::Access;
pub use client::Client;
pub use collaborators::{Collaborator, Invitation, ProjectTeam, TeamEntitlements, TeamMember};
pub use config::{ClientConfig, DEFAULT_ENDPOINT, RetryPolicy};
pub use config_status::{CONFIGURED, ConfigStatus, WorkerConfig};
pub use documents::{DOCUMENTS, Document, OperationKind};
pub use domains::{CustomDomain, PlanChange, TenantDomains};
pub use env::{EnvLayout, EnvValue, EnvVar, EnvVars, parse_env_vars};
pub use error::{Error, ErrorKind};
pub use ids::{CollaboratorId, InvitationId, JobId, ProjectId, TenantId};
pub use token::{Token, redact};
pub use types::{
    CreatedProject, Job, JobStatus, NewProject, PreviewAppRequest, Project, ProjectDetails,
    ProjectRef, ProjectTenant, Region, RenamedTenant, Task, TaskEvent, TenantDetails, TenantEnv,
    TenantProject, TenantSummary,
};
