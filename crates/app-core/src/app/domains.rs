//! Custom domains and the plan of a project: the commands, over `hasura_cloud`'s operations.
//! Where the token's schema lacks a field the answer says so and names the dashboard's page.

use hasura_cloud::{Access, Client, CustomDomain, TenantDetails};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::App;
use crate::activity::ActivityKind;
use crate::domains::{self, DnsValidation, DomainWatch};
use crate::error::AppError;
use crate::projects::parse_tenant_id;
use crate::validate;

/// One custom domain as the project page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomainView {
    pub id: String,
    pub fqdn: String,
    pub validation: DnsValidation,
    /// "DNS validation pending", "DNS validated", …
    pub status: String,
    /// What the state means and what to do.
    pub hint: String,
    pub certificate: String,
    pub created_at: String,
}

/// A project's custom domains, or why this token cannot show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomainsView {
    /// False when this access token may not use custom domains.
    pub available: bool,
    /// Said to the person when not available.
    pub message: Option<String>,
    /// The dashboard's page for the project's domains.
    pub dashboard_url: String,
    /// The host name each domain's CNAME record points to.
    pub cname_target: String,
    /// Renaming the project changes `cname_target`.
    pub rename_note: String,
    pub domains: Vec<CustomDomainView>,
}

/// The plans a project may move to, and what it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanChoices {
    pub current: Option<String>,
    pub current_label: String,
    pub choices: Vec<PlanChoice>,
    /// The project's name when the profile marks it as production: it must be typed to confirm.
    pub production_name: Option<String>,
    pub dashboard_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanChoice {
    pub plan: String,
    pub label: String,
    /// What moving to it means, in sentences.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangePlanInput {
    pub tenant_id: String,
    pub plan: String,
    /// The project's name, typed, when it is marked as production.
    pub confirm_name: Option<String>,
}

/// The answer to a plan change: done, or not something this token may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanChangeOutcome {
    pub available: bool,
    pub message: String,
    pub dashboard_url: String,
    /// The plan the project is on afterwards.
    pub plan: Option<String>,
}

fn view(domain: &CustomDomain, target: &str) -> CustomDomainView {
    let validation = DnsValidation::from_api(&domain.dns_validation);
    let (status, hint) = domains::dns_words(validation, &domain.dns_validation, target);
    CustomDomainView {
        id: domain.id.to_string(),
        fqdn: domain.fqdn.clone(),
        validation,
        status,
        hint,
        certificate: domains::certificate_words(&domain.cert),
        created_at: domain.created_at.clone(),
    }
}

fn not_available_domains(dashboard: &str) -> String {
    format!(
        "This access token cannot use custom domains. Manage them in the Hasura Cloud \
         dashboard: {dashboard}"
    )
}

fn parse_domain_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::invalid("domainId", "That is not a custom domain's id."))
}

/// A uniqueness violation on the domain's name, said for a person.
fn domain_error(error: hasura_cloud::Error, fqdn: &str) -> AppError {
    let text = error.to_string().to_ascii_lowercase();
    if text.contains("uniqueness violation") {
        return AppError::invalid(
            domains::FQDN_FIELD,
            format!("{fqdn} is already added to a Hasura Cloud project (this one or another)."),
        );
    }
    if text.contains("custom domain limit") {
        return AppError::invalid(
            domains::FQDN_FIELD,
            format!(
                "This project's plan allows no more custom domains. Delete one or change the \
                 plan. (Hasura Cloud said: {error})"
            ),
        );
    }
    AppError::from_client_for_fields(error, &[domains::FQDN_FIELD])
}

impl App {
    async fn tenant_and_client(
        &self,
        tenant_id: &str,
    ) -> Result<(String, Client, TenantDetails), AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let (profile, client) = self.session.active_client().await?;
        let tenant = client.tenant(id).await?;
        Ok((profile, client, tenant))
    }

    /// A project's custom domains, with the CNAME target they need.
    pub async fn custom_domains(&self, tenant_id: &str) -> Result<CustomDomainsView, AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let (_, client) = self.session.active_client().await?;
        // One request; a token that may not read domains still gets the CNAME target and the
        // dashboard's address, from a second read of the tenant alone.
        let (tenant, list) = match client.custom_domains(id).await? {
            Access::Allowed(read) => (read.tenant, Some(read.domains)),
            Access::NotAvailable { .. } => (client.tenant(id).await?, None),
        };
        let target = domains::cname_target(&tenant.slug);
        let dashboard_url = domains::dashboard_domains_url(&tenant.project.id.to_string());
        let rename_note = format!(
            "The CNAME target is the project's own host name, {target}: renaming the project \
             changes it, and every custom domain's CNAME record must then be changed too."
        );
        let available = list.is_some();
        Ok(CustomDomainsView {
            available,
            message: (!available).then(|| not_available_domains(&dashboard_url)),
            cname_target: target.clone(),
            rename_note,
            domains: (list.iter().flatten()).map(|d| view(d, &target)).collect(),
            dashboard_url,
        })
    }

    /// Adds a custom domain; its DNS validation starts pending.
    pub async fn add_custom_domain(
        &self,
        tenant_id: &str,
        fqdn: &str,
    ) -> Result<CustomDomainView, AppError> {
        let fqdn = domains::fqdn(fqdn)?;
        let (profile, client, tenant) = self.tenant_and_client(tenant_id).await?;
        let target = domains::cname_target(&tenant.slug);
        let added = match client
            .add_custom_domain(tenant.id, &fqdn)
            .await
            .map_err(|e| domain_error(e, &fqdn))?
        {
            Access::Allowed(added) => added,
            Access::NotAvailable { .. } => {
                let dashboard = domains::dashboard_domains_url(&tenant.project.id.to_string());
                return Err(AppError::invalid(
                    domains::FQDN_FIELD,
                    not_available_domains(&dashboard),
                ));
            }
        };
        self.record(
            self.activity_entry(
                &profile,
                ActivityKind::CustomDomainAdded,
                format!("Added the custom domain {fqdn} (CNAME to {target})"),
            )
            .project(Some(&tenant.project.name), Some(&tenant.id.to_string())),
        );
        Ok(view(&added, &target))
    }

    /// Deletes a custom domain (by id) of a project. One already gone counts as deleted.
    pub async fn delete_custom_domain(
        &self,
        tenant_id: &str,
        domain_id: &str,
    ) -> Result<(), AppError> {
        let id = parse_domain_id(domain_id)?;
        let (profile, client, tenant) = self.tenant_and_client(tenant_id).await?;
        let fqdn = client
            .custom_domain(id)
            .await?
            .allowed()
            .flatten()
            .map(|d| d.fqdn);
        match client.delete_custom_domain(id).await? {
            Access::Allowed(_) => {}
            Access::NotAvailable { .. } => {
                let dashboard = domains::dashboard_domains_url(&tenant.project.id.to_string());
                return Err(AppError::invalid(
                    "domainId",
                    not_available_domains(&dashboard),
                ));
            }
        }
        self.record(
            self.activity_entry(
                &profile,
                ActivityKind::CustomDomainDeleted,
                format!(
                    "Deleted the custom domain {}",
                    fqdn.as_deref().unwrap_or(domain_id)
                ),
            )
            .project(Some(&tenant.project.name), Some(&tenant.id.to_string())),
        );
        Ok(())
    }

    /// Follows a domain's DNS validation with backoff until it settles, the watch's time runs
    /// out or [`App::stop_domain_watches`] is called; answers the domain as last read (still
    /// pending then: up to 24 h is normal).
    pub async fn watch_custom_domain(
        &self,
        tenant_id: &str,
        domain_id: &str,
    ) -> Result<CustomDomainView, AppError> {
        // Subscribed before the first read, so a stop at any moment after this is seen.
        let stop = self.domain_watch_stops.subscribe();
        self.watch_custom_domain_with(tenant_id, domain_id, &DomainWatch::default(), |d| {
            let mut stop = stop.clone();
            async move {
                tokio::select! {
                    () = tokio::time::sleep(d) => true,
                    _ = stop.changed() => false,
                }
            }
        })
        .await
    }

    /// Ends every domain watch going on now, each answering its last read: the page that asked
    /// for them is gone, and nobody would see what they read.
    pub fn stop_domain_watches(&self) {
        self.domain_watch_stops.send_modify(|n| *n += 1);
    }

    /// [`App::watch_custom_domain`] with the watch and the pause given (tests move a
    /// simulator's clock instead of sleeping).
    pub async fn watch_custom_domain_with<P, PF>(
        &self,
        tenant_id: &str,
        domain_id: &str,
        watch: &DomainWatch,
        pause: P,
    ) -> Result<CustomDomainView, AppError>
    where
        P: FnMut(std::time::Duration) -> PF,
        PF: std::future::Future<Output = bool>,
    {
        let id = parse_domain_id(domain_id)?;
        let (_, client, tenant) = self.tenant_and_client(tenant_id).await?;
        let target = domains::cname_target(&tenant.slug);
        let read = || {
            let client = client.clone();
            async move {
                match client.custom_domain(id).await? {
                    Access::Allowed(Some(domain)) => Ok(domain),
                    Access::Allowed(None) => Err(AppError::not_found(
                        "This custom domain was deleted meanwhile.",
                    )),
                    Access::NotAvailable { .. } => Err(AppError::invalid(
                        "domainId",
                        "This access token cannot read custom domains.",
                    )),
                }
            }
        };
        let last = domains::follow(watch, read, pause, |d: &CustomDomain| {
            DnsValidation::from_api(&d.dns_validation)
        })
        .await?;
        Ok(view(&last, &target))
    }

    /// The plans a project may move to and what each means.
    pub async fn plan_choices(&self, tenant_id: &str) -> Result<PlanChoices, AppError> {
        let (profile, _, tenant) = self.tenant_and_client(tenant_id).await?;
        let current = tenant.project.plan_name.clone();
        let project_id = tenant.project.id.to_string();
        let production = self
            .session
            .profile(&profile)?
            .production_projects
            .contains(&project_id);
        Ok(PlanChoices {
            current_label: current
                .as_deref()
                .map(domains::plan_label)
                .unwrap_or_else(|| "Unknown".into()),
            choices: domains::PLAN_CHOICES
                .iter()
                .filter(|(plan, _)| current.as_deref() != Some(*plan))
                .map(|(plan, label)| PlanChoice {
                    plan: (*plan).into(),
                    label: (*label).into(),
                    notes: domains::plan_change_notes(current.as_deref(), plan),
                })
                .collect(),
            current,
            production_name: production.then(|| tenant.project.name.clone()),
            dashboard_url: domains::dashboard_plan_url(&project_id),
        })
    }

    /// Moves a project to another plan; a project marked as production takes its name, typed.
    pub async fn change_plan(&self, input: ChangePlanInput) -> Result<PlanChangeOutcome, AppError> {
        let plan = validate::plan(&input.plan)?;
        let (profile, client, tenant) = self.tenant_and_client(&input.tenant_id).await?;
        self.check_production(&profile, &client, tenant.id, input.confirm_name.as_deref())
            .await?;
        let dashboard_url = domains::dashboard_plan_url(&tenant.project.id.to_string());
        let change = client
            .change_plan(tenant.project.id, &plan)
            .await
            .map_err(|e| AppError::from_client_for_fields(e, &["plan"]))?;
        let Access::Allowed(change) = change else {
            return Ok(PlanChangeOutcome {
                available: false,
                message: format!(
                    "This access token cannot change plans. Change it in the Hasura Cloud \
                     dashboard: {dashboard_url}"
                ),
                dashboard_url,
                plan: tenant.project.plan_name.clone(),
            });
        };
        let (from, to) = (
            domains::plan_label(&change.old_plan),
            domains::plan_label(&change.new_plan),
        );
        self.record(
            self.activity_entry(
                &profile,
                ActivityKind::PlanChanged,
                format!("Changed the plan from {from} to {to}"),
            )
            .project(Some(&tenant.project.name), Some(&tenant.id.to_string())),
        );
        Ok(PlanChangeOutcome {
            available: true,
            message: format!("{} is now on the {to} plan.", tenant.project.name),
            dashboard_url,
            plan: Some(change.new_plan),
        })
    }
}
