//! Rules for a project's collaborators: the email an invitation goes to, the privileges the
//! dashboard offers (Admin, or User with Execute GraphQL and/or View Metrics) and their names, and
//! the dashboard page to send a person to when the token may not manage collaborators.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::projects::CLOUD_CONSOLE_BASE;

/// The form field an invitation's email is checked for.
pub const EMAIL_FIELD: &str = "email";

/// Privilege slugs and the names the dashboard gives them (API notes §9).
pub const PRIVILEGE_NAMES: &[(&str, &str)] = &[
    ("admin", "Admin"),
    ("graphql_admin", "Execute GraphQL"),
    ("view_metrics", "View Metrics"),
    ("add_collaborators", "Add Collaborators"),
    ("event_trigger_admin", "Event Trigger Admin"),
    ("remote_schema_admin", "Remote Schema Admin"),
    ("action_admin", "Action Admin"),
];

/// The privileges the app offers, as the dashboard does.
pub const OFFERED: &[&str] = &["admin", "graphql_admin", "view_metrics"];

/// A privilege slug with its readable name beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Privilege {
    pub slug: String,
    pub name: String,
}

pub fn privilege(slug: &str) -> Privilege {
    let name = PRIVILEGE_NAMES
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, name)| (*name).to_string())
        // A slug the app does not know is shown as the service names it.
        .unwrap_or_else(|| slug.to_string());
    Privilege {
        slug: slug.to_string(),
        name,
    }
}

/// What a collaborator may do, as the invite and edit forms choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PrivilegeChoice {
    pub admin: bool,
    pub execute_graphql: bool,
    pub view_metrics: bool,
}

impl PrivilegeChoice {
    /// The slugs to grant: Admin alone, or the User privileges chosen (at least one).
    pub fn slugs(&self) -> Result<Vec<String>, AppError> {
        if self.admin {
            return Ok(vec!["admin".into()]);
        }
        let mut slugs = Vec::new();
        if self.execute_graphql {
            slugs.push("graphql_admin".to_string());
        }
        if self.view_metrics {
            slugs.push("view_metrics".to_string());
        }
        if slugs.is_empty() {
            return Err(AppError::invalid(
                "privileges",
                "Choose Admin, or at least one of Execute GraphQL and View Metrics.",
            ));
        }
        Ok(slugs)
    }

    /// Refuses a privilege the plan does not grant, naming it.
    pub fn check_plan(&self, allowed: &[String]) -> Result<Vec<String>, AppError> {
        let slugs = self.slugs()?;
        if let Some(missing) = slugs.iter().find(|s| !allowed.contains(s)) {
            return Err(AppError::invalid(
                "privileges",
                format!(
                    "This project's plan does not allow the {} privilege.",
                    privilege(missing).name
                ),
            ));
        }
        Ok(slugs)
    }
}

/// An invitation's email address, trimmed; a clear problem when it cannot be one.
pub fn email(text: &str) -> Result<String, AppError> {
    let email = text.trim();
    let problem = |message: &str| Err(AppError::invalid(EMAIL_FIELD, message));
    if email.is_empty() {
        return problem("Enter the email address to invite.");
    }
    if email.chars().any(char::is_whitespace) {
        return problem("An email address has no spaces.");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return problem("An email address has an @, like name@example.com.");
    };
    if local.is_empty() || local.contains('@') {
        return problem("Put a name before the @, like name@example.com.");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return problem("After the @ comes a domain, like example.com.");
    }
    if email.len() > 254 {
        return problem("That email address is too long.");
    }
    Ok(email.to_string())
}

/// The dashboard's collaborators page of a project.
pub fn dashboard_collaborators_url(project_id: &str) -> String {
    format!("{CLOUD_CONSOLE_BASE}/project/{project_id}/collaborators")
}

/// Said when the token may not manage collaborators.
pub fn not_available(dashboard: &str) -> String {
    format!(
        "This access token cannot manage collaborators. Manage them in the Hasura Cloud \
         dashboard: {dashboard}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_as_a_person_types() {
        assert_eq!(email("  ana@example.com ").unwrap(), "ana@example.com");
        for (text, words) in [
            ("", "Enter the email"),
            ("ana", "has an @"),
            ("@example.com", "before the @"),
            ("ana@example", "a domain"),
            ("ana@exa mple.com", "no spaces"),
            ("ana@-x.com", "a domain"),
        ] {
            let message = email(text).unwrap_err().message().to_owned();
            assert!(message.contains(words), "{text}: {message}");
        }
    }

    #[test]
    fn privileges_are_admin_or_the_user_ones_chosen() {
        let choice = |admin, execute_graphql, view_metrics| PrivilegeChoice {
            admin,
            execute_graphql,
            view_metrics,
        };
        assert_eq!(choice(true, true, true).slugs().unwrap(), vec!["admin"]);
        assert_eq!(
            choice(false, true, true).slugs().unwrap(),
            vec!["graphql_admin", "view_metrics"]
        );
        assert!(choice(false, false, false).slugs().is_err());
        let free = vec!["admin".to_string(), "graphql_admin".to_string()];
        let refused = choice(false, false, true).check_plan(&free).unwrap_err();
        assert!(refused.message().contains("View Metrics"), "{refused:?}");
        assert_eq!(privilege("graphql_admin").name, "Execute GraphQL");
        assert_eq!(privilege("something_new").name, "something_new");
    }
}
