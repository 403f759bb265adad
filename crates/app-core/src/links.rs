//! `hasura-cloud-desktop://` links: what a teammate pastes in chat to open a project, its
//! environment variables, or a preview app's timeline in the app.
//!
//! The forms, and nothing else:
//!
//! | link | opens |
//! |---|---|
//! | `hasura-cloud-desktop://project/<project id>` | the project's overview |
//! | `hasura-cloud-desktop://project/<project id>/env` | its environment variables |
//! | `hasura-cloud-desktop://preview/<job id>` | a preview app's timeline (its creation job) |
//!
//! Ids are uuids in their hyphenated form (either case). A link names a place, never a token or
//! a value: anything more — a query (`?…`), a fragment (`#…`), a user or port, another part of
//! the path, even a trailing `/` — is refused, so a link cannot smuggle data into the app.
//! Refusals never repeat the link (it might hold something secret that was pasted into it).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::renderer::{Location, PreviewView, ProjectTab};

/// The scheme the installers register for the app.
pub const LINK_SCHEME: &str = "hasura-cloud-desktop";

/// Longer than any documented link (the longest is 84 characters).
const MAX_LINK_LEN: usize = 200;

/// A place in the app a link names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Link {
    /// A project (lower-case hyphenated uuid), on its overview or its env tab.
    Project { project_id: String, tab: ProjectTab },
    /// A preview app's creation job (lower-case hyphenated uuid).
    Preview { job_id: String },
}

impl Link {
    /// Reads a link; anything but the documented forms is refused with a sentence for a person.
    pub fn parse(text: &str) -> Result<Link, AppError> {
        if text.len() > MAX_LINK_LEN {
            return Err(refused("it is far longer than any link the app makes."));
        }
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case(LINK_SCHEME) => rest,
            _ => {
                return Err(refused(&format!(
                    "it does not start with {LINK_SCHEME}://."
                )));
            }
        };
        if rest.contains(['?', '#']) {
            return Err(refused(
                "it carries more than a place in the app (a “?…” or “#…” part). Links never \
                 carry tokens or values; ask for the link again.",
            ));
        }
        // Like a URL's scheme and host, the words are read in any case (ids are lower-cased).
        let rest = rest.to_ascii_lowercase();
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["project", id] => Ok(Link::Project {
                project_id: id_in(id, "project")?,
                tab: ProjectTab::Overview,
            }),
            ["project", id, "env"] => Ok(Link::Project {
                project_id: id_in(id, "project")?,
                tab: ProjectTab::Env,
            }),
            ["project", id, "collaborators"] => Ok(Link::Project {
                project_id: id_in(id, "project")?,
                tab: ProjectTab::Collaborators,
            }),
            ["preview", id] => Ok(Link::Preview {
                job_id: id_in(id, "preview app's job")?,
            }),
            _ => Err(refused("it is not one of the forms the app knows.")),
        }
    }

    /// The link's text, in the one form [`Link::parse`] reads back to the same link.
    pub fn to_url(&self) -> String {
        match self {
            Link::Project {
                project_id,
                tab: ProjectTab::Overview,
            } => format!("{LINK_SCHEME}://project/{project_id}"),
            Link::Project {
                project_id,
                tab: ProjectTab::Env,
            } => format!("{LINK_SCHEME}://project/{project_id}/env"),
            Link::Project {
                project_id,
                tab: ProjectTab::Collaborators,
            } => format!("{LINK_SCHEME}://project/{project_id}/collaborators"),
            Link::Preview { job_id } => format!("{LINK_SCHEME}://preview/{job_id}"),
        }
    }

    /// The screen the link opens.
    pub fn location(&self) -> Location {
        match self {
            Link::Project { project_id, tab } => Location::Project {
                project_id: project_id.clone(),
                tab: Some(*tab),
            },
            Link::Preview { job_id } => Location::Previews {
                view: Some(PreviewView::Run),
                run_id: Some(job_id.clone()),
            },
        }
    }
}

/// The link to a project's tab.
pub fn project_link(project_id: &str, tab: ProjectTab) -> String {
    Link::Project {
        project_id: project_id.to_owned(),
        tab,
    }
    .to_url()
}

/// The link to a preview app's timeline.
pub fn preview_link(job_id: &str) -> String {
    Link::Preview {
        job_id: job_id.to_owned(),
    }
    .to_url()
}

/// A uuid in its hyphenated form (36 characters).
fn id_in(text: &str, what: &str) -> Result<String, AppError> {
    match Uuid::try_parse(text) {
        Ok(id) if text.len() == 36 => Ok(id.hyphenated().to_string()),
        _ => Err(refused(&format!(
            "the {what} id in it is not a valid id (ids look like \
             7a79cf94-0e53-4520-a560-1b02bf522f08)."
        ))),
    }
}

fn refused(why: &str) -> AppError {
    AppError::invalid(
        "link",
        format!(
            "This link cannot be opened: {why} Hasura Cloud Desktop links look like \
             {LINK_SCHEME}://project/<project id>, {LINK_SCHEME}://project/<project id>/env or \
             {LINK_SCHEME}://preview/<job id>."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ID: &str = "7a79cf94-0e53-4520-a560-1b02bf522f08";

    fn refusal(text: &str) -> String {
        match Link::parse(text) {
            Err(AppError::InvalidInput { message, field }) => {
                assert_eq!(field.as_deref(), Some("link"));
                message
            }
            other => panic!("{text:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn reads_the_documented_forms() {
        assert_eq!(
            Link::parse(&format!("hasura-cloud-desktop://project/{ID}")),
            Ok(Link::Project {
                project_id: ID.into(),
                tab: ProjectTab::Overview
            })
        );
        assert_eq!(
            Link::parse(&format!("hasura-cloud-desktop://project/{ID}/env")),
            Ok(Link::Project {
                project_id: ID.into(),
                tab: ProjectTab::Env
            })
        );
        assert_eq!(
            Link::parse(&format!("hasura-cloud-desktop://preview/{ID}")),
            Ok(Link::Preview { job_id: ID.into() })
        );
    }

    #[test]
    fn links_are_read_in_any_case_and_ids_come_out_lower_case() {
        let upper = ID.to_uppercase();
        assert_eq!(
            Link::parse(&format!("Hasura-Cloud-Desktop://preview/{upper}")),
            Ok(Link::Preview { job_id: ID.into() })
        );
    }

    #[test]
    fn links_name_a_screen() {
        let link = Link::parse(&format!("hasura-cloud-desktop://project/{ID}/env"));
        assert_eq!(
            link.map(|l| l.location()),
            Ok(Location::Project {
                project_id: ID.into(),
                tab: Some(ProjectTab::Env)
            })
        );
        assert_eq!(
            Link::Preview { job_id: ID.into() }.location(),
            Location::Previews {
                view: Some(PreviewView::Run),
                run_id: Some(ID.into())
            }
        );
    }

    #[test]
    fn made_links_read_back() {
        assert_eq!(
            project_link(ID, ProjectTab::Env),
            format!("hasura-cloud-desktop://project/{ID}/env")
        );
        assert_eq!(
            Link::parse(&preview_link(ID)),
            Ok(Link::Preview { job_id: ID.into() })
        );
        let collaborators = project_link(ID, ProjectTab::Collaborators);
        assert_eq!(
            collaborators,
            format!("hasura-cloud-desktop://project/{ID}/collaborators")
        );
        assert_eq!(
            Link::parse(&collaborators),
            Ok(Link::Project {
                project_id: ID.into(),
                tab: ProjectTab::Collaborators
            })
        );
    }

    #[test]
    fn anything_more_than_a_place_is_refused() {
        for extra in [
            "?token=abc",
            "?",
            "#",
            "#frag",
            "/",
            "/env/",
            "/env?x=1",
            "/other",
        ] {
            let text = format!("hasura-cloud-desktop://project/{ID}{extra}");
            refusal(&text);
        }
        for text in [
            format!("hasura-cloud-desktop://user@project/{ID}"),
            format!("hasura-cloud-desktop://project:80/{ID}"),
            format!("hasura-cloud-desktop:///project/{ID}"),
            format!("hasura-cloud-desktop://preview/{ID}/env"),
            format!("hasura-cloud-desktop://project//{ID}"),
            format!("hasura-cloud-desktop://projects/{ID}"),
            format!(" hasura-cloud-desktop://project/{ID}"),
            format!("hasura-cloud-desktop://project/{ID} "),
        ] {
            refusal(&text);
        }
    }

    #[test]
    fn ids_are_hyphenated_uuids() {
        for id in [
            "7a79cf940e534520a5601b02bf522f08",
            "{7a79cf94-0e53-4520-a560-1b02bf522f08}",
            "urn:uuid:7a79cf94-0e53-4520-a560-1b02bf522f08",
            "7a79cf94-0e53-4520-a560-1b02bf522f0g",
            "7a79cf94%2D0e53-4520-a560-1b02bf522f08",
            "",
        ] {
            let message = refusal(&format!("hasura-cloud-desktop://project/{id}"));
            assert!(message.contains("not a valid id"), "{message}");
        }
    }

    #[test]
    fn other_schemes_and_text_are_refused_for_a_person() {
        let message = refusal(&format!("https://cloud.hasura.io/project/{ID}"));
        assert!(message.contains("does not start with hasura-cloud-desktop://"));
        refusal("");
        refusal("hasura-cloud-desktop");
        refusal(&"x".repeat(10_000));
    }

    #[test]
    fn a_refusal_never_repeats_the_link() {
        let secret = "s3cr3t-value-pasted-here";
        for text in [
            format!("hasura-cloud-desktop://project/{ID}?token={secret}"),
            format!("hasura-cloud-desktop://project/{secret}"),
            format!("hasura-cloud-desktop://{secret}/{ID}"),
            format!("{secret}://project/{ID}"),
        ] {
            assert!(!refusal(&text).contains(secret), "{text}");
        }
    }

    fn documented() -> impl Strategy<Value = Link> {
        let id = any::<u128>().prop_map(|n| Uuid::from_u128(n).hyphenated().to_string());
        prop_oneof![
            (id.clone(), any::<bool>()).prop_map(|(project_id, env)| Link::Project {
                project_id,
                tab: if env {
                    ProjectTab::Env
                } else {
                    ProjectTab::Overview
                }
            }),
            id.prop_map(|job_id| Link::Preview { job_id }),
        ]
    }

    proptest! {
        /// No input panics; whatever is accepted is a documented form, written as the app
        /// writes it (up to case).
        #[test]
        fn only_documented_forms_are_accepted(text in any::<String>()) {
            if let Ok(link) = Link::parse(&text) {
                prop_assert_eq!(link.to_url(), text.to_ascii_lowercase());
            }
        }

        /// The same near the documented forms, where a lax parser would slip.
        #[test]
        fn near_misses_are_refused(
            link in documented(),
            at in any::<prop::sample::Index>(),
            insert in prop::sample::select(vec!["?", "#", "/", "%", "@", ":", " ", "a", "-", "\u{0}", "é", "//"]),
        ) {
            let url = link.to_url();
            let at = at.index(url.len() + 1);
            let changed = format!("{}{}{}", &url[..at], insert, &url[at..]);
            if let Ok(read) = Link::parse(&changed) {
                prop_assert_eq!(read.to_url(), changed.to_ascii_lowercase());
            }
        }

        #[test]
        fn documented_links_read_back(link in documented()) {
            prop_assert_eq!(Link::parse(&link.to_url()), Ok(link.clone()));
            prop_assert_eq!(Link::parse(&link.to_url().to_uppercase()), Ok(link));
        }
    }
}
