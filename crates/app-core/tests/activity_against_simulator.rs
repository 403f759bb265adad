//! The activity log against a real simulator: what the app changed is recorded — names, keys and
//! fingerprints, never a value or the token — what failed is not, and the file survives a restart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use app_core::{
    ActivityKind, App, ApplyOutcome, ChangeKind, CreateProjectInput, DeleteProjectInput, EnvEdit,
    EnvPair, FileActivity, MemorySettings, MemoryStore,
};
use common::{TOKEN, fast_clients, signed_in, sim};

const SECRET_VALUE: &str = "postgres://user:value-that-must-not-be-logged@db/x";

#[tokio::test]
async fn changes_are_recorded_newest_first_with_fingerprints_and_failures_are_not() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let app = &h.app;
    assert!(app.activity_list(10).await.unwrap().is_empty());

    let row = app
        .create_project(CreateProjectInput {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            plan: "cloud_free".into(),
            name: Some("audit-me".into()),
            envs: vec![EnvPair {
                key: "OLD_URL".into(),
                value: "first-value-1".into(),
            }],
        })
        .await
        .unwrap();
    let tenant = row.tenant_id.clone().unwrap();
    app.rename_project(&tenant, "audit-me-too").await.unwrap();

    app.env_load(&tenant).await.unwrap();
    app.env_stage(
        &tenant,
        vec![
            EnvEdit::Set {
                key: "PG_DATABASE_URL".into(),
                value: SECRET_VALUE.into(),
            },
            EnvEdit::Remove {
                key: "OLD_URL".into(),
            },
        ],
    )
    .await
    .unwrap();
    assert!(matches!(
        app.env_apply(&tenant, None).await.unwrap(),
        ApplyOutcome::Applied { .. }
    ));

    // A refused delete changes nothing and records nothing.
    app.delete_project(DeleteProjectInput {
        tenant_id: tenant.clone(),
        confirm_name: "not-its-name".into(),
    })
    .await
    .unwrap_err();
    app.delete_project(DeleteProjectInput {
        tenant_id: tenant.clone(),
        confirm_name: "audit-me-too".into(),
    })
    .await
    .unwrap();

    let log = app.activity_list(10).await.unwrap();
    let kinds: Vec<ActivityKind> = log.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            ActivityKind::ProjectDeleted,
            ActivityKind::EnvApplied,
            ActivityKind::ProjectRenamed,
            ActivityKind::ProjectCreated,
        ]
    );
    assert!(log.iter().all(|e| e.profile_name == "Work" && !e.sandbox));
    assert!(
        log.iter()
            .all(|e| e.tenant_id.as_deref() == Some(tenant.as_str()))
    );
    assert_eq!(
        log[3].summary,
        "Created audit-me (aws us-east-2, cloud_free)"
    );
    assert_eq!(log[2].summary, "Renamed a project to audit-me-too");
    assert_eq!(log[0].summary, "Deleted audit-me-too");
    assert_eq!(log[0].project_name.as_deref(), Some("audit-me-too"));

    let env = &log[1];
    assert_eq!(
        env.summary,
        "Applied 2 env changes: −OLD_URL, +PG_DATABASE_URL"
    );
    assert_eq!(
        env.project_name.as_deref(),
        Some("audit-me-too"),
        "an env apply is named by the name last seen: the rename's"
    );
    let keys: Vec<(&str, ChangeKind, bool, bool)> = env
        .keys
        .iter()
        .map(|k| {
            (
                k.key.as_str(),
                k.kind,
                k.before.is_some(),
                k.after.is_some(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("OLD_URL", ChangeKind::Removed, true, false),
            ("PG_DATABASE_URL", ChangeKind::Added, false, true),
        ]
    );
    assert!(
        env.keys
            .iter()
            .flat_map(|k| [&k.before, &k.after])
            .flatten()
            .all(|f| f.len() == 12)
    );

    let json = serde_json::to_string(&log).unwrap();
    for secret in [SECRET_VALUE, "first-value-1", TOKEN] {
        assert!(!json.contains(secret), "{secret} in the activity log");
    }

    assert_eq!(app.activity_list(2).await.unwrap().len(), 2);
    app.activity_clear().await.unwrap();
    assert!(app.activity_list(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_log_file_survives_a_restart_and_holds_no_value_or_token() {
    let sim = sim().await;
    let dir = common::temp_dir("hcd-activity-app");
    let path = dir.join("activity.jsonl");
    let settings = Arc::new(MemorySettings::new());
    let secrets = Arc::new(MemoryStore::new());
    let open = || {
        App::with_client_config(settings.clone(), secrets.clone(), fast_clients())
            .unwrap()
            .with_activity_store(Arc::new(FileActivity::new(&path)))
    };

    let app = open();
    common::sign_in_work(&app, &sim).await;
    let row = app
        .create_project(CreateProjectInput {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            plan: "cloud_free".into(),
            name: Some("kept-on-disk".into()),
            envs: vec![EnvPair {
                key: "API_KEY".into(),
                value: SECRET_VALUE.into(),
            }],
        })
        .await
        .unwrap();
    drop(app);

    let again = open();
    let log = again.activity_list(10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].project_name.as_deref(), Some("kept-on-disk"));
    assert_eq!(log[0].tenant_id, row.tenant_id);

    // After the restart the app knows the name from the list it fetches, not from the log.
    let tenant = row.tenant_id.clone().unwrap();
    again.list_projects().await.unwrap();
    again
        .env_stage(
            &tenant,
            vec![EnvEdit::Set {
                key: "LISTED".into(),
                value: "1".into(),
            }],
        )
        .await
        .unwrap();
    again.env_apply(&tenant, None).await.unwrap();
    let log = again.activity_list(1).await.unwrap();
    assert_eq!(log[0].kind, ActivityKind::EnvApplied);
    assert_eq!(log[0].project_name.as_deref(), Some("kept-on-disk"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(SECRET_VALUE) && !text.contains(TOKEN),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
