//! The team parts of the API (collaborators, invitations, ownership, entitlements, custom domains,
//! plan change): which fields they are, so a simulator can hide them all from a token, as the real
//! service answers `field "x" not found in type` for a field a caller may not see.

/// Which fields a token's schema shows.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub regions_readable: bool,
    pub team_visible: bool,
}

impl Visibility {
    pub fn shows(&self, ty: &str, field: &str) -> bool {
        if !self.regions_readable && ty == "query_root" && field == "region" {
            return false;
        }
        self.team_visible || !is_team_field(ty, field)
    }
}

/// Words in a root field's name that mark it as a team field; names rather than a fixed list, so
/// a team field added to the schema later is hidden too.
const TEAM_ROOT_WORDS: &[&str] = &[
    "collaborator",
    "invit",
    "privilege",
    "ownership",
    "custom_domain",
    "customdomain",
    "letsencrypt",
    "cloudflare",
    "changeplan",
    "billingmanager",
    "entitlement",
];

/// Whether `ty.field` is one of the team parts.
pub fn is_team_field(ty: &str, field: &str) -> bool {
    let lower = field.to_ascii_lowercase();
    match ty {
        "query_root" | "mutation_root" | "subscription_root" => {
            matches!(field, "users" | "users_public")
                || TEAM_ROOT_WORDS.iter().any(|word| lower.contains(word))
        }
        "projects" => {
            matches!(
                field,
                "collaborators"
                    | "invitations"
                    | "owner"
                    | "billing_manager"
                    | "ownership_transfer_invites"
                    | "entitlements"
            )
        }
        "tenant" => lower.contains("custom_domain"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_fields_are_recognised_and_others_are_not() {
        for (ty, field) in [
            ("projects", "collaborators"),
            ("projects", "owner"),
            ("projects", "entitlements"),
            ("mutation_root", "inviteCollaborator"),
            ("mutation_root", "resendInvite"),
            ("mutation_root", "acceptInvite"),
            ("mutation_root", "changePlan"),
            ("mutation_root", "insert_custom_domain_one"),
            ("mutation_root", "delete_project_collaborators_by_pk"),
            ("query_root", "custom_domain_by_pk"),
            ("tenant", "custom_domains"),
        ] {
            assert!(is_team_field(ty, field), "{ty}.{field}");
        }
        for (ty, field) in [
            ("query_root", "projects"),
            ("projects", "name"),
            ("mutation_root", "createTenant"),
            ("tenant", "region"),
        ] {
            assert!(!is_team_field(ty, field), "{ty}.{field}");
        }
    }
}
