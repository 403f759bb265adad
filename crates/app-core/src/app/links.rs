//! Opening a `hasura-cloud-desktop://` link: which signed-in profiles can see what it names.

use serde::Serialize;

use super::App;
use super::projects::project_row;
use crate::error::AppError;
use crate::links::Link;
use crate::projects::parse_project_id;
use crate::renderer::Location;

/// Where a link leads, and the profiles to open it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LinkTargets {
    pub link: Link,
    /// The screen to open once a profile is chosen.
    pub location: Location,
    /// The signed-in profiles that can see it, in the settings' order: open it in the only one,
    /// ask when there are several.
    pub profile_ids: Vec<String>,
    /// When none can: a sentence for a person saying so (and which profiles could not be asked).
    pub message: Option<String>,
}

impl App {
    /// Reads a link and asks each signed-in profile whether it can see the project or job it
    /// names. A link that does not parse is refused (`invalidInput`, field `link`).
    pub async fn link_targets(&self, text: &str) -> Result<LinkTargets, AppError> {
        let link = Link::parse(text)?;
        let mut profile_ids = Vec::new();
        let mut unasked = Vec::new();
        for profile in self.session.settings().profiles {
            let name = profile.name.clone();
            // Signed-out profiles are not asked.
            let Ok((id, client)) = self.session.client_of(profile).await else {
                continue;
            };
            let seen = match &link {
                Link::Project { project_id, .. } => {
                    match project_row(&client, parse_project_id(project_id)?).await {
                        Ok(_) => Ok(true),
                        Err(AppError::NotFound { .. }) => Ok(false),
                        Err(e) => Err(e),
                    }
                }
                Link::Preview { job_id } => match job_id.parse::<hasura_cloud::JobId>() {
                    Ok(job) => client.job(job).await.map(|found| found.is_some()),
                    Err(_) => Ok(false),
                }
                .map_err(AppError::from),
            };
            match seen {
                Ok(true) => profile_ids.push(id),
                Ok(false) => {}
                Err(e) => unasked.push(format!("“{name}” could not be asked ({})", e.message())),
            }
        }
        let message = profile_ids.is_empty().then(|| {
            let what = match &link {
                Link::Project { .. } => "the project this link opens",
                Link::Preview { .. } => "the preview app this link opens",
            };
            let mut message = format!(
                "None of your signed-in profiles can see {what}. Sign in with an account that \
                 can, or ask for access."
            );
            if !unasked.is_empty() {
                message = format!("{message} {}.", unasked.join("; "));
            }
            message
        });
        Ok(LinkTargets {
            location: link.location(),
            link,
            profile_ids,
            message,
        })
    }
}
