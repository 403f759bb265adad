//! Identifier newtypes. A project and its tenant have *different* uuids, and the API takes one or
//! the other depending on the operation (env vars, delete and rename take the tenant id); distinct
//! types make passing the wrong one a compile error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a uuid.
            pub const fn new(id: Uuid) -> Self {
                Self(id)
            }

            /// The wrapped uuid.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

id_type!(
    /// Id of a row in `projects` (console URLs, plan, region, collaborators, metrics).
    ProjectId
);
id_type!(
    /// Id of a row in `tenant` (env vars, delete, rename, custom domains).
    TenantId
);
id_type!(
    /// Id of a row in `jobs` (preview-app creation and deployment jobs).
    JobId
);
id_type!(
    /// Id of a row in `project_collaborators` (one person's membership of one project; not the
    /// person's user id).
    CollaboratorId
);
id_type!(
    /// Id of a row in `project_collaborator_invitations`.
    InvitationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_uuid_strings() {
        let raw = "7a79cf94-0e53-4520-a560-1b02bf522f08";
        let id: TenantId = raw.parse().unwrap();
        assert_eq!(id.to_string(), raw);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{raw}\""));
        let back: TenantId = serde_json::from_str(&format!("\"{raw}\"")).unwrap();
        assert_eq!(back, id);
        assert_eq!(format!("{id:?}"), format!("TenantId({raw})"));
        assert!("not-a-uuid".parse::<ProjectId>().is_err());
    }
}
