//! The GraphQL documents this client sends, one operation each, stored as files under
//! `graphql/`. User input only ever travels in `variables`, never in the query text.

/// Whether an operation reads or writes. Only reads are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Query,
    Mutation,
}

/// One GraphQL document holding one named operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document {
    /// The operation name, sent as `operationName`.
    pub name: &'static str,
    /// Query or mutation (checked against the text by the schema test).
    pub kind: OperationKind,
    /// The document text.
    pub source: &'static str,
    /// File name under `graphql/`.
    pub file: &'static str,
}

macro_rules! document {
    ($const:ident, $name:literal, $kind:ident, $file:literal) => {
        #[doc = concat!("`", $name, "` from `graphql/", $file, "`.")]
        pub const $const: Document = Document {
            name: $name,
            kind: OperationKind::$kind,
            source: include_str!(concat!("../graphql/", $file)),
            file: $file,
        };
    };
    // A document that spreads a fragment of `graphql/fragments/`: the fragment is appended.
    ($const:ident, $name:literal, $kind:ident, $file:literal, with $fragment:literal) => {
        #[doc = concat!("`", $name, "` from `graphql/", $file, "`, with `", $fragment, "`.")]
        pub const $const: Document = Document {
            name: $name,
            kind: OperationKind::$kind,
            source: concat!(
                include_str!(concat!("../graphql/", $file)),
                "\n",
                include_str!(concat!("../graphql/fragments/", $fragment))
            ),
            file: $file,
        };
    };
}

document!(
    CREATE_PROJECT,
    "CreateProject",
    Mutation,
    "create_project.graphql"
);
document!(
    TENANT_ID_OF_PROJECT,
    "TenantIdOfProject",
    Query,
    "tenant_id_of_project.graphql"
);
document!(
    TENANT_DETAILS,
    "TenantDetails",
    Query,
    "tenant.graphql",
    with "tenant_fields.graphql"
);
document!(
    LIST_PROJECTS,
    "ListProjects",
    Query,
    "list_projects.graphql"
);
document!(
    FIND_PROJECTS_BY_NAME,
    "FindProjectsByName",
    Query,
    "find_projects_by_name.graphql"
);
document!(
    DELETE_TENANT,
    "DeleteTenant",
    Mutation,
    "delete_tenant.graphql"
);
document!(GET_TENANT_ENV, "GetTenantEnv", Query, "get_env.graphql");
document!(
    UPDATE_TENANT_ENV,
    "UpdateTenantEnv",
    Mutation,
    "update_env.graphql"
);
document!(
    DELETE_TENANT_ENV,
    "DeleteTenantEnv",
    Mutation,
    "delete_env.graphql"
);
document!(
    RENAME_TENANT,
    "RenameTenant",
    Mutation,
    "rename_tenant.graphql"
);
document!(
    SET_PROJECT_NAME,
    "SetProjectName",
    Mutation,
    "set_project_name.graphql"
);
document!(
    CREATE_PREVIEW_APP,
    "CreatePreviewApp",
    Mutation,
    "create_preview_app.graphql"
);
document!(JOB, "Job", Query, "job.graphql");
document!(LIST_JOBS, "ListJobs", Query, "list_jobs.graphql");
document!(REGIONS, "Regions", Query, "regions.graphql");
document!(
    CONFIG_STATUS,
    "ConfigStatus",
    Query,
    "config_status.graphql"
);
document!(
    PROJECT_DETAILS,
    "ProjectDetails",
    Query,
    "project_details.graphql",
    with "tenant_fields.graphql"
);
document!(
    PROJECT_DETAILS_WITHOUT_NAT_IP,
    "ProjectDetailsWithoutNatIp",
    Query,
    "project_details_without_nat_ip.graphql",
    with "tenant_fields.graphql"
);
document!(
    CUSTOM_DOMAINS,
    "CustomDomains",
    Query,
    "custom_domains.graphql",
    with "tenant_fields.graphql"
);
document!(
    CUSTOM_DOMAIN,
    "CustomDomain",
    Query,
    "custom_domain.graphql"
);
document!(
    ADD_CUSTOM_DOMAIN,
    "AddCustomDomain",
    Mutation,
    "add_custom_domain.graphql"
);
document!(
    DELETE_CUSTOM_DOMAIN,
    "DeleteCustomDomain",
    Mutation,
    "delete_custom_domain.graphql"
);
document!(CHANGE_PLAN, "ChangePlan", Mutation, "change_plan.graphql");

document!(PROJECT_TEAM, "ProjectTeam", Query, "project_team.graphql");
document!(
    INVITE_COLLABORATOR,
    "InviteCollaborator",
    Mutation,
    "invite_collaborator.graphql"
);
document!(
    RESEND_INVITE,
    "ResendInvite",
    Mutation,
    "resend_invite.graphql"
);
document!(
    REVOKE_INVITATION,
    "RevokeInvitation",
    Mutation,
    "revoke_invitation.graphql"
);
document!(
    REMOVE_COLLABORATOR,
    "RemoveCollaborator",
    Mutation,
    "remove_collaborator.graphql"
);
document!(
    GRANT_PRIVILEGES,
    "GrantPrivileges",
    Mutation,
    "grant_privileges.graphql"
);
document!(
    REVOKE_PRIVILEGES,
    "RevokePrivileges",
    Mutation,
    "revoke_privileges.graphql"
);

/// Every document the crate ships. The schema test validates each one, so add new documents here.
pub const DOCUMENTS: &[Document] = &[
    PROJECT_TEAM,
    INVITE_COLLABORATOR,
    RESEND_INVITE,
    REVOKE_INVITATION,
    REMOVE_COLLABORATOR,
    GRANT_PRIVILEGES,
    REVOKE_PRIVILEGES,
    CREATE_PROJECT,
    TENANT_ID_OF_PROJECT,
    TENANT_DETAILS,
    LIST_PROJECTS,
    FIND_PROJECTS_BY_NAME,
    DELETE_TENANT,
    GET_TENANT_ENV,
    UPDATE_TENANT_ENV,
    DELETE_TENANT_ENV,
    RENAME_TENANT,
    SET_PROJECT_NAME,
    CREATE_PREVIEW_APP,
    JOB,
    LIST_JOBS,
    REGIONS,
    CONFIG_STATUS,
    PROJECT_DETAILS,
    PROJECT_DETAILS_WITHOUT_NAT_IP,
    CUSTOM_DOMAINS,
    CUSTOM_DOMAIN,
    ADD_CUSTOM_DOMAIN,
    DELETE_CUSTOM_DOMAIN,
    CHANGE_PLAN,
];
