//! Projects as the UI sees them: the client's results mapped to the IPC types, the inputs of
//! create and delete, and the links the app opens.

use std::str::FromStr;

use hasura_cloud::{Project, ProjectId, TenantDetails, TenantId};
use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::error::AppError;
use crate::links;
use crate::renderer::ProjectTab;

/// Where console and dashboard links point.
pub const CLOUD_CONSOLE_BASE: &str = "https://cloud.hasura.io";

/// A project in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub endpoint: String,
    pub plan: Option<String>,
    /// `None` while (or if) the project has no tenant.
    pub tenant_id: Option<String>,
    pub slug: Option<String>,
    pub cloud: Option<String>,
    pub region: Option<String>,
    pub created_at: String,
}

/// A project with the links to it. The row is nested as `project`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDetails {
    pub project: ProjectRow,
    pub console_url: String,
    pub dashboard_url: String,
    pub graphql_url: String,
    /// `hasura-cloud-desktop://` links to its overview and to its env tab (`crate::links`).
    pub app_link: String,
    pub env_app_link: String,
    /// The address the project reaches the internet from (its region's NAT IP), to allow in a
    /// database firewall; `None` when the API did not say.
    pub nat_ip: Option<String>,
}

/// A tenant with its project (the answer of a tenant-id lookup, and of a rename).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TenantInfo {
    pub tenant_id: String,
    pub slug: String,
    pub cloud: String,
    pub region: String,
    pub project_id: String,
    pub project_name: String,
    pub endpoint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvPair {
    pub key: String,
    pub value: String,
}

/// What the create-project form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreateProjectInput {
    pub cloud: String,
    pub region: String,
    pub plan: String,
    /// `None` (or blank) lets Hasura Cloud choose a name.
    pub name: Option<String>,
    pub envs: Vec<EnvPair>,
}

/// What the delete dialog sends: the tenant and the name the person typed to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeleteProjectInput {
    pub tenant_id: String,
    pub confirm_name: String,
}

/// What `open_external` opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ExternalTarget {
    /// The project's console on cloud.hasura.io.
    Console,
    /// The project's page in the Hasura Cloud dashboard.
    Dashboard,
    /// The project's own endpoint, as Hasura Cloud lists it.
    Endpoint,
    /// The dashboard's custom-domains page of the project (for a token that cannot use them).
    DashboardDomains,
    /// The dashboard's page with the project's plan.
    DashboardPlan,
    /// The dashboard's collaborators page of the project (for a token that cannot manage them).
    DashboardCollaborators,
}

/// A list row from the client's project.
pub fn row_from_project(project: &Project) -> ProjectRow {
    let tenant = project.tenant.as_ref();
    ProjectRow {
        id: project.id.to_string(),
        name: project.name.clone(),
        endpoint: project.endpoint.clone(),
        plan: project
            .plan_name
            .clone()
            .or_else(|| project.billing_plan_name.clone()),
        tenant_id: tenant.map(|t| t.id.to_string()),
        slug: tenant.map(|t| t.slug.clone()),
        cloud: tenant.map(|t| t.cloud.clone()),
        region: tenant.map(|t| t.region.clone()),
        created_at: project.created_at.clone(),
    }
}

/// A list row from a tenant's details (the same facts, read through the tenant).
pub fn row_from_tenant(tenant: &TenantDetails) -> ProjectRow {
    ProjectRow {
        id: tenant.project.id.to_string(),
        name: tenant.project.name.clone(),
        endpoint: tenant.project.endpoint.clone(),
        plan: tenant.project.plan_name.clone(),
        tenant_id: Some(tenant.id.to_string()),
        slug: Some(tenant.slug.clone()),
        cloud: Some(tenant.cloud.clone()),
        region: Some(tenant.region.clone()),
        created_at: tenant.project.created_at.clone(),
    }
}

pub fn tenant_info(tenant: &TenantDetails) -> TenantInfo {
    TenantInfo {
        tenant_id: tenant.id.to_string(),
        slug: tenant.slug.clone(),
        cloud: tenant.cloud.clone(),
        region: tenant.region.clone(),
        project_id: tenant.project.id.to_string(),
        project_name: tenant.project.name.clone(),
        endpoint: tenant.project.endpoint.clone(),
    }
}

/// A row with its links.
pub fn details(project: ProjectRow) -> ProjectDetails {
    ProjectDetails {
        console_url: console_url(&project.id),
        dashboard_url: dashboard_url(&project.id),
        graphql_url: graphql_url(&project.endpoint),
        app_link: links::project_link(&project.id, ProjectTab::Overview),
        env_app_link: links::project_link(&project.id, ProjectTab::Env),
        nat_ip: None,
        project,
    }
}

/// `https://cloud.hasura.io/project/<projectId>/console`
pub fn console_url(project_id: &str) -> String {
    format!("{CLOUD_CONSOLE_BASE}/project/{project_id}/console")
}

/// `https://cloud.hasura.io/project/<projectId>/details`
pub fn dashboard_url(project_id: &str) -> String {
    format!("{CLOUD_CONSOLE_BASE}/project/{project_id}/details")
}

/// `<endpoint>/v1/graphql`
pub fn graphql_url(endpoint: &str) -> String {
    format!("{}/v1/graphql", endpoint.trim_end_matches('/'))
}

/// A project id as typed or pasted (`invalidInput` when it is not a uuid).
pub fn parse_project_id(raw: &str) -> Result<ProjectId, AppError> {
    ProjectId::from_str(raw).map_err(|_| AppError::InvalidInput {
        message: "This is not a project id. A project id looks like \
                  7a79cf94-0e53-4520-a560-1b02bf522f08."
            .to_owned(),
        field: Some("projectId".to_owned()),
    })
}

/// A tenant id as typed or pasted (`invalidInput` when it is not a uuid).
pub fn parse_tenant_id(raw: &str) -> Result<TenantId, AppError> {
    TenantId::from_str(raw).map_err(|_| AppError::InvalidInput {
        message: "This is not a tenant id. A tenant id looks like \
                  7a79cf94-0e53-4520-a560-1b02bf522f08."
            .to_owned(),
        field: Some("tenantId".to_owned()),
    })
}

/// Only web addresses are handed to the OS to open: `https://`, or `http://` on this computer
/// (the sandbox). An endpoint the API sent that is anything else is refused.
pub fn checked_link(link: &str) -> Result<String, AppError> {
    let refuse = || {
        AppError::internal(format!(
            "This app opens only https:// links, and the project's address is not one: {link}"
        ))
    };
    let url = Url::parse(link).map_err(|_| refuse())?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(refuse()),
    };
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if loopback => Ok(url.to_string()),
        _ => Err(refuse()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PID: &str = "7a79cf94-0e53-4520-a560-1b02bf522f08";
    const TID: &str = "11111111-2222-4333-8444-555555555555";

    fn project(tenant: bool) -> Project {
        let mut value = json!({
            "id": PID, "name": "shop", "endpoint": "https://shop.hasura.app",
            "plan_name": null, "billing_plan_name": "cloud_payg",
            "created_at": "2024-01-01T00:00:00+00:00", "tenant": null
        });
        if tenant {
            value["tenant"] = json!({"id": TID, "slug": "shop", "cloud": "aws",
                "region": "us-east-2", "created_at": "2024-01-01T00:00:00+00:00"});
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn rows_and_details() {
        let row = row_from_project(&project(true));
        assert_eq!(
            serde_json::to_value(&row).unwrap(),
            json!({"id": PID, "name": "shop", "endpoint": "https://shop.hasura.app",
                   "plan": "cloud_payg", "tenantId": TID, "slug": "shop", "cloud": "aws",
                   "region": "us-east-2", "createdAt": "2024-01-01T00:00:00+00:00"})
        );
        let bare = row_from_project(&project(false));
        assert_eq!(bare.tenant_id, None);
        assert_eq!(bare.region, None);

        let details = details(row);
        assert_eq!(
            details.console_url,
            format!("https://cloud.hasura.io/project/{PID}/console")
        );
        assert_eq!(
            details.dashboard_url,
            format!("https://cloud.hasura.io/project/{PID}/details")
        );
        assert_eq!(details.graphql_url, "https://shop.hasura.app/v1/graphql");
        let value = serde_json::to_value(&details).unwrap();
        assert_eq!(value["project"]["name"], "shop");
        assert_eq!(value["consoleUrl"], details.console_url);
        assert_eq!(graphql_url("http://x/p/a/"), "http://x/p/a/v1/graphql");
    }

    #[test]
    fn ids() {
        assert_eq!(parse_project_id(PID).unwrap().to_string(), PID);
        assert_eq!(
            parse_tenant_id(&format!(" {TID} ")).unwrap().to_string(),
            TID
        );
        let e = parse_project_id("../../evil").unwrap_err();
        assert_eq!(e.kind(), "invalidInput");
        assert!(parse_tenant_id("").is_err());
    }

    #[test]
    fn links() {
        assert_eq!(
            checked_link("https://shop.hasura.app").unwrap(),
            "https://shop.hasura.app/"
        );
        checked_link("http://127.0.0.1:4000/p/shop").unwrap();
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://evil.example.com",
            "nope",
        ] {
            assert_eq!(checked_link(bad).unwrap_err().kind(), "internal", "{bad}");
        }
    }

    #[test]
    fn external_target_names() {
        assert_eq!(
            serde_json::to_value([
                ExternalTarget::Console,
                ExternalTarget::Dashboard,
                ExternalTarget::Endpoint
            ])
            .unwrap(),
            json!(["console", "dashboard", "endpoint"])
        );
    }
}
