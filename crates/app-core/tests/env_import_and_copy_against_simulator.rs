//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: import from and export to `.env` text, and comparing and copying variables
//! between projects.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::env::dotenv;
use app_core::{ApplyOutcome, ChangeKind, CompareStatus, Severity};
use common::env_editor::*;
use common::*;

// ---- import and export ----------------------------------------------------------------------------

#[tokio::test]
async fn import_preview_then_stage() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_stage(t, vec![set("B", "20")]).await.unwrap();

    let text = "# from staging\nA=1\nB=20\nexport C='three $literal'\nD=\"multi\nline\"\nnot a line\nHASURA_X=y\n";
    let preview = h.app.env_import_preview(t, text).await.unwrap();
    assert_eq!(preview.unchanged, ["A", "B"], "compared with base + staged");
    assert_eq!(
        preview
            .added
            .iter()
            .map(|c| (c.key.as_str(), c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("C", Some("three $literal")),
            ("D", Some("multi\nline")),
            ("HASURA_X", Some("y"))
        ]
    );
    assert!(preview.overwritten.is_empty());
    assert_eq!(
        preview.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        [7]
    );
    assert_eq!(preview.issues.len(), 1);
    assert_eq!(preview.issues[0].severity, Severity::Warning);

    // A text with unreadable lines is refused whole.
    let e = h.app.env_import_stage(t, text).await.unwrap_err();
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("line 7"), "{e}");
    let e = h.app.env_import_stage(t, "A=1\nA=2\n").await.unwrap_err();
    assert!(e.message().contains("more than once"), "{e}");
    assert_eq!(
        changes_of(&h.app.env_load(t).await.unwrap()),
        [("B", ChangeKind::Changed)]
    );

    let preview = h
        .app
        .env_import_preview(t, "A=100\nB=20\nC=3\n")
        .await
        .unwrap();
    assert_eq!(
        preview
            .overwritten
            .iter()
            .map(|c| (
                c.key.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref()
            ))
            .collect::<Vec<_>>(),
        [("A", Some("1"), Some("100"))]
    );
    let draft = h
        .app
        .env_import_stage(t, "A=100\nB=20\nC=3\n")
        .await
        .unwrap();
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("B", ChangeKind::Changed),
            ("C", ChangeKind::Added)
        ]
    );
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "100"), ("B", "20"), ("C", "3")])
    );
}

#[tokio::test]
async fn export_text_reads_back_to_the_current_view() {
    let sim = sim().await;
    let tricky = [
        ("QUOTES", "it's \"quoted\""),
        ("DOLLAR", "pa$$word${HOME}$"),
        ("HASH", "a #not a comment"),
        ("LINES", "first\nsecond\r\nthird\n"),
        ("BACKSLASH", "C:\\path\\n\\"),
        ("UNICODE", "héllo — 😀 \u{2028}"),
        ("EMPTY", ""),
        ("SPACES", "  padded  "),
    ];
    let project = seed(&sim, "shop", &tricky);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let draft = h
        .app
        .env_stage(t, vec![set("STAGED", "new = value"), remove("EMPTY")])
        .await
        .unwrap();

    let text = h.app.env_export_text(t).await.unwrap();
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("not yet applied"));
    let parsed = dotenv::parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut expected = base_of(&draft);
    expected.insert(ADMIN.into(), {
        let admin = draft.vars.iter().find(|v| v.key == ADMIN).unwrap();
        admin.value.clone()
    });
    expected.insert("STAGED".into(), "new = value".into());
    expected.remove("EMPTY");
    assert_eq!(parsed.to_map(), expected);

    // Importing it back into the same draft changes nothing.
    let preview = h.app.env_import_preview(t, &text).await.unwrap();
    assert!(preview.added.is_empty() && preview.overwritten.is_empty());
    assert!(preview.errors.is_empty());
    assert_eq!(preview.unchanged.len(), expected.len());
}

// ---- compare and copy ------------------------------------------------------------------------------

#[tokio::test]
async fn compare_shows_fingerprints_only_and_copy_stages_values() {
    let sim = sim().await;
    let left = seed(
        &sim,
        "left",
        &[
            ("ONLY_LEFT", "left-only-value-7741"),
            ("SAME", "same-value-9931"),
            ("SECRET", "left-secret-value-5521"),
        ],
    );
    let right = seed(
        &sim,
        "right",
        &[
            ("SAME", "same-value-9931"),
            ("SECRET", "right-secret-value-6612"),
            ("ONLY_RIGHT", "right-only-value-8843"),
        ],
    );
    let (h, _) = signed_in(&sim).await;

    let before = sim.control().request_count();
    let cmp = h
        .app
        .env_compare(&left.tenant_id, &right.tenant_id)
        .await
        .unwrap();
    assert_eq!(sim.control().request_count() - before, 2, "both read fresh");
    assert_eq!(cmp.left_tenant_id, left.tenant_id);
    assert_eq!(cmp.right_tenant_id, right.tenant_id);
    let rows: Vec<(&str, CompareStatus)> = cmp
        .rows
        .iter()
        .filter(|r| r.key != ADMIN)
        .map(|r| (r.key.as_str(), r.status))
        .collect();
    assert_eq!(
        rows,
        [
            ("ONLY_LEFT", CompareStatus::OnlyLeft),
            ("ONLY_RIGHT", CompareStatus::OnlyRight),
            ("SAME", CompareStatus::Same),
            ("SECRET", CompareStatus::Different)
        ]
    );
    let admin = cmp.rows.iter().find(|r| r.key == ADMIN).unwrap();
    assert_eq!(admin.status, CompareStatus::Different, "random per project");
    let same = cmp.rows.iter().find(|r| r.key == "SAME").unwrap();
    assert_eq!(same.left_fingerprint, same.right_fingerprint);
    assert!(
        same.left_fingerprint
            .as_ref()
            .is_some_and(|f| f.len() == 12)
    );
    let only_left = cmp.rows.iter().find(|r| r.key == "ONLY_LEFT").unwrap();
    assert!(only_left.right_fingerprint.is_none());

    let json = serde_json::to_string(&cmp).unwrap();
    for value in [
        "left-only-value-7741",
        "same-value-9931",
        "left-secret-value-5521",
        "right-secret-value-6612",
        "right-only-value-8843",
    ] {
        assert!(
            !json.contains(value),
            "a value leaked into the comparison: {json}"
        );
    }
    for project in [&left, &right] {
        let admin = other_writer(&sim).get_env(tid(project)).await.unwrap();
        let secret = &admin.vars.get(ADMIN).unwrap().text;
        assert!(!json.contains(secret.as_str()));
    }
    assert!(json.contains("\"onlyLeft\"") && json.contains("\"leftFingerprint\""));

    // Copy two keys from left into right's draft.
    let draft = h
        .app
        .env_copy(
            &left.tenant_id,
            &right.tenant_id,
            vec!["SECRET".into(), "ONLY_LEFT".into(), "SAME".into()],
        )
        .await
        .unwrap();
    assert_eq!(draft.tenant_id, right.tenant_id);
    assert_eq!(
        draft
            .changes
            .iter()
            .map(|c| (c.key.as_str(), c.kind, c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("ONLY_LEFT", ChangeKind::Added, Some("left-only-value-7741")),
            (
                "SECRET",
                ChangeKind::Changed,
                Some("left-secret-value-5521")
            )
        ]
    );
    // Refusals: a key the source lacks, the same project twice.
    let e = h
        .app
        .env_copy(&left.tenant_id, &right.tenant_id, vec!["NOPE".into()])
        .await
        .unwrap_err();
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("NOPE"));
    let e = h
        .app
        .env_copy(&left.tenant_id, &left.tenant_id, vec!["SAME".into()])
        .await
        .unwrap_err();
    assert_eq!(field(&e), Some("envs"));

    let outcome = h.app.env_apply(&right.tenant_id, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &right).await,
        map(&[
            ("ONLY_LEFT", "left-only-value-7741"),
            ("ONLY_RIGHT", "right-only-value-8843"),
            ("SAME", "same-value-9931"),
            ("SECRET", "left-secret-value-5521")
        ])
    );
}
