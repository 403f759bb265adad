//! Custom domains (`tenant.custom_domains`, `custom_domain_by_pk`, `insert_custom_domain_one`,
//! `delete_custom_domain_by_pk`) and `changePlan` (API notes §9). Which of these a personal access
//! token may use is not known: a field the token may not see is answered `validation-failed`
//! `field "…" not found in type: '…'`, which these methods return as [`Access::NotAvailable`],
//! an answer rather than a failure.

use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::client::Client;
use crate::documents;
use crate::error::Error;
use crate::ids::{ProjectId, TenantId};
use crate::types::nullable;

/// What the API answered for an operation the token may or may not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access<T> {
    Allowed(T),
    /// The token's schema does not have `field`: the dashboard is the way to do it.
    NotAvailable {
        field: String,
    },
}

impl<T> Access<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Access<U> {
        match self {
            Access::Allowed(v) => Access::Allowed(f(v)),
            Access::NotAvailable { field } => Access::NotAvailable { field },
        }
    }

    pub fn allowed(self) -> Option<T> {
        match self {
            Access::Allowed(v) => Some(v),
            Access::NotAvailable { .. } => None,
        }
    }
}

/// One custom domain of a project.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CustomDomain {
    pub id: Uuid,
    pub fqdn: String,
    /// `pending`, `succeeded` or `failed`: whether the name resolves to the project's host name.
    pub dns_validation: String,
    /// `letsencrypt`, `vault://…` or `none`.
    pub cert: String,
    #[serde(default, deserialize_with = "nullable")]
    pub ssl_status: Option<String>,
    pub created_at: String,
}

/// `changePlan`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanChange {
    pub project_id: ProjectId,
    pub old_plan: String,
    pub new_plan: String,
    pub status: String,
}

/// The `field` of a "not found in type" answer, when it is one of `fields` (one the caller asked
/// for as a team feature, not a field every accepted token sees).
fn hidden(error: &Error, fields: &[&str]) -> Option<String> {
    let named = match error {
        Error::TokenRejected { field: Some(field) } => field.clone(),
        Error::InvalidInput { message } if message.contains("not found in type") => {
            let rest = message.trim().strip_prefix("field ")?;
            rest.trim_start_matches(['"', '\''])
                .split(['"', '\''])
                .next()?
                .to_string()
        }
        _ => return None,
    };
    fields.contains(&named.as_str()).then_some(named)
}

/// `Err` → `NotAvailable` when the error says the field is not in the token's schema.
fn access<T>(result: Result<T, Error>, fields: &[&str]) -> Result<Access<T>, Error> {
    match result {
        Ok(value) => Ok(Access::Allowed(value)),
        Err(e) => match hidden(&e, fields) {
            Some(field) => Ok(Access::NotAvailable { field }),
            None => Err(e),
        },
    }
}

fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    root: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| Error::unexpected(format!("`{root}`: {e}")))
}

impl Client {
    /// A project's custom domains, oldest first. [`Error::NotFound`] for an unknown tenant.
    pub async fn custom_domains(
        &self,
        tenant: TenantId,
    ) -> Result<Access<Vec<CustomDomain>>, Error> {
        #[derive(Deserialize)]
        struct Row {
            custom_domains: Vec<CustomDomain>,
        }
        let result = self
            .run(
                &documents::CUSTOM_DOMAINS,
                json!({ "tenantId": tenant }),
                "tenant_by_pk",
            )
            .await;
        transpose(access(result, &["custom_domains"])?.map(|v| {
            if v.is_null() {
                return Err(Error::not_found(format!("tenant {tenant}")));
            }
            decode::<Row>(v, "tenant_by_pk").map(|r| r.custom_domains)
        }))
    }

    /// One custom domain; `Allowed(None)` when there is none with this id (deleted meanwhile).
    pub async fn custom_domain(&self, id: Uuid) -> Result<Access<Option<CustomDomain>>, Error> {
        let result = self
            .run(
                &documents::CUSTOM_DOMAIN,
                json!({ "id": id }),
                "custom_domain_by_pk",
            )
            .await;
        transpose(access(result, &["custom_domain_by_pk"])?.map(|v| {
            if v.is_null() {
                Ok(None)
            } else {
                decode(v, "custom_domain_by_pk").map(Some)
            }
        }))
    }

    /// Adds `fqdn` to a project; its DNS validation starts `pending`. A name already used
    /// anywhere is [`Error::InvalidInput`] with the service's uniqueness-violation message.
    pub async fn add_custom_domain(
        &self,
        tenant: TenantId,
        fqdn: &str,
    ) -> Result<Access<CustomDomain>, Error> {
        let result = self
            .run(
                &documents::ADD_CUSTOM_DOMAIN,
                json!({ "fqdn": fqdn, "tenantId": tenant }),
                "insert_custom_domain_one",
            )
            .await;
        transpose(
            access(result, &["insert_custom_domain_one"])?
                .map(|v| decode(v, "insert_custom_domain_one")),
        )
    }

    /// Deletes a custom domain; `Allowed(false)` when it was already gone.
    pub async fn delete_custom_domain(&self, id: Uuid) -> Result<Access<bool>, Error> {
        let result = self
            .run(
                &documents::DELETE_CUSTOM_DOMAIN,
                json!({ "id": id }),
                "delete_custom_domain_by_pk",
            )
            .await;
        Ok(access(result, &["delete_custom_domain_by_pk"])?.map(|v| !v.is_null()))
    }

    /// Moves a project to `plan` (`cloud_free`, `cloud_free_v2`, `cloud_payg`, `cloud_shared`).
    pub async fn change_plan(
        &self,
        project: ProjectId,
        plan: &str,
    ) -> Result<Access<PlanChange>, Error> {
        let result = self
            .run(
                &documents::CHANGE_PLAN,
                json!({ "plan": plan, "projectId": project }),
                "changePlan",
            )
            .await;
        transpose(access(result, &["changePlan"])?.map(|v| {
            if v.is_null() {
                Err(Error::unexpected("`changePlan` is null"))
            } else {
                decode(v, "changePlan")
            }
        }))
    }
}

fn transpose<T>(access: Access<Result<T, Error>>) -> Result<Access<T>, Error> {
    match access {
        Access::Allowed(result) => result.map(Access::Allowed),
        Access::NotAvailable { field } => Ok(Access::NotAvailable { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_asked_for_count_as_hidden() {
        let nested = Error::InvalidInput {
            message: "field \"custom_domains\" not found in type: 'tenant'".into(),
        };
        assert_eq!(
            hidden(&nested, &["custom_domains"]).as_deref(),
            Some("custom_domains")
        );
        let root = Error::TokenRejected {
            field: Some("changePlan".into()),
        };
        assert_eq!(
            hidden(&root, &["changePlan"]).as_deref(),
            Some("changePlan")
        );
        // A token rejected outright names a field every token sees: still an error.
        let rejected = Error::TokenRejected {
            field: Some("tenant_by_pk".into()),
        };
        assert_eq!(hidden(&rejected, &["custom_domains"]), None);
        let other = Error::InvalidInput {
            message: "Uniqueness violation.".into(),
        };
        assert_eq!(hidden(&other, &["custom_domains"]), None);
    }
}
