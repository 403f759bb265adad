//! Custom domains (`tenant.custom_domains`, `custom_domain_by_pk`, `insert_custom_domain_one`,
//! `delete_custom_domain_by_pk`) and `changePlan` (API notes §9). Which of these a personal access
//! token may use is not known: a field the token may not see is answered `validation-failed`
//! `field "…" not found in type: '…'`, which these methods return as [`Access::NotAvailable`],
//! an answer rather than a failure.

use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::access::{Access, access};
use crate::client::Client;
use crate::documents;
use crate::error::Error;
use crate::ids::{ProjectId, TenantId};
use crate::types::{TenantDetails, nullable};

/// A tenant's details and its custom domains, as [`Client::custom_domains`] reads them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TenantDomains {
    #[serde(flatten)]
    pub tenant: TenantDetails,
    #[serde(rename = "custom_domains")]
    pub domains: Vec<CustomDomain>,
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

fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    root: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| Error::unexpected(format!("`{root}`: {e}")))
}

impl Client {
    /// A project's custom domains, oldest first, with its tenant's details (one request).
    /// [`Error::NotFound`] for an unknown tenant.
    pub async fn custom_domains(&self, tenant: TenantId) -> Result<Access<TenantDomains>, Error> {
        let result = self
            .run(
                &documents::CUSTOM_DOMAINS,
                json!({ "tenantId": tenant }),
                "tenant_by_pk",
            )
            .await;
        access(result, &["custom_domains"])?
            .map(|v| {
                if v.is_null() {
                    return Err(Error::not_found(format!("tenant {tenant}")));
                }
                decode::<TenantDomains>(v, "tenant_by_pk")
            })
            .transpose()
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
        access(result, &["custom_domain_by_pk"])?
            .map(|v| {
                if v.is_null() {
                    Ok(None)
                } else {
                    decode(v, "custom_domain_by_pk").map(Some)
                }
            })
            .transpose()
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
        access(result, &["insert_custom_domain_one"])?
            .map(|v| decode(v, "insert_custom_domain_one"))
            .transpose()
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
        access(result, &["changePlan"])?
            .map(|v| {
                if v.is_null() {
                    Err(Error::unexpected("`changePlan` is null"))
                } else {
                    decode(v, "changePlan")
                }
            })
            .transpose()
    }
}
