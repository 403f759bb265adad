//! Creating GitHub preview apps through `App` against a real simulator (`cloud-sim`) over loopback
//! HTTP, sped up 40×: a preview app through both jobs, scripted failures, a superseded creation,
//! the monthly allowance, input checked before anything is sent, and the GitHub token that never
//! comes back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::{
    AppError, JobState, PreviewAppInput, PreviewAppState, ProfileInput, RunPhase, SecretStore,
    TaskState,
};
use cloud_sim::{FaultKind, FaultRule};
use common::preview_apps::*;
use common::*;

#[tokio::test]
async fn a_preview_app_goes_through_both_jobs() {
    let sim = fast_sim(None).await;
    let (h, profile, seen) = app_on(&sim, fast_watch()).await;
    assert!(!h.app.github_token_status().await.unwrap().stored);
    assert!(h.app.set_github_token(GITHUB_TOKEN).await.unwrap().stored);
    assert!(h.app.github_token_status().await.unwrap().stored);

    let first = h
        .app
        .preview_create(input(
            "pr-1-shop",
            "https://github.com/acme/shop/tree/main/hasura",
            "",
            "",
        ))
        .await
        .unwrap();
    assert_eq!(first.phase, RunPhase::Creating);
    assert_eq!(first.name, "pr-1-shop");
    assert_eq!(first.profile_id, profile);
    assert_eq!(first.polls, 0);
    assert_eq!(first.next_poll_in_ms, Some(20));

    let run = finished(&h, &first.id).await;
    assert_eq!(run.phase, RunPhase::Succeeded, "{run:#?}");
    assert_eq!(run.error, None);
    assert_eq!(run.next_poll_in_ms, None);
    assert!(run.polls >= 3);

    let creation = run.creation.as_ref().unwrap();
    assert_eq!(creation.id, first.id);
    assert_eq!(creation.job_type, "github-preview-app-creation");
    assert_eq!(creation.state, JobState::Succeeded);
    assert_eq!(creation.tasks.len(), 1);
    assert_eq!(creation.tasks[0].name, "create-preview-app");
    assert_eq!(creation.tasks[0].label, "Create the project");

    let deployment = run.deployment.as_ref().unwrap();
    assert_eq!(deployment.job_type, "github-preview-app-deployment");
    assert_eq!(deployment.state, JobState::Succeeded);
    let labels: Vec<&str> = deployment.tasks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Fetch metadata and migrations from GitHub",
            "Read metadata and migrations",
            "Apply metadata",
            "Apply migrations",
            "Reload metadata",
            "Check the project is healthy",
        ]
    );
    for task in &deployment.tasks {
        assert_eq!(task.state, TaskState::Succeeded, "{task:?}");
        assert!(task.started_at.is_some() && task.finished_at.is_some());
        assert!(task.duration_ms.is_some());
    }
    assert_eq!(
        deployment.tasks[0].github_detail.as_deref(),
        Some("fetching metadata and migrations from acme/shop@main:hasura")
    );

    // Links: the console, and the endpoint read from the project.
    let links = run.links.as_ref().unwrap();
    assert_eq!(
        links.console_url,
        format!(
            "https://cloud.hasura.io/project/{}/console",
            links.project_id
        )
    );
    let project = h
        .app
        .list_projects()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "pr-1-shop")
        .unwrap();
    assert_eq!(links.project_id, project.id);
    assert_eq!(links.endpoint.as_deref(), Some(project.endpoint.as_str()));
    assert_eq!(
        links.graphql_url,
        Some(format!("{}/v1/graphql", project.endpoint))
    );

    // The sink saw every step, in order, ending with the final state.
    assert_eq!(
        phases_of(&seen, &first.id),
        [RunPhase::Creating, RunPhase::Deploying, RunPhase::Succeeded]
    );
    let last = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last, run);

    // The run stays listed for the session (newest first).
    let second = h.app.preview_create(ok_input("pr-2-shop")).await.unwrap();
    let ids: Vec<String> = h
        .app
        .preview_runs()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [second.id.clone(), first.id.clone()]);
    // Watching it again returns the run as it is.
    assert_eq!(h.app.preview_watch(&first.id).await.unwrap(), run);
    finished(&h, &second.id).await;
}

#[tokio::test]
async fn scripted_failures_say_why_for_a_person() {
    let sim = fast_sim(None).await;
    let (h, _, seen) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();

    let migration = h
        .app
        .preview_create(input(
            "pr-fail-mig",
            "acme/shop",
            "fail-apply-migration",
            "hasura",
        ))
        .await
        .unwrap();
    let folder = h
        .app
        .preview_create(input("pr-no-folder", "acme/shop", "main", "db/missing"))
        .await
        .unwrap();
    let unreadable = h
        .app
        .preview_create(input(
            "pr-unreadable",
            "acme/unreadable-shop",
            "main",
            "hasura",
        ))
        .await
        .unwrap();
    let creation = h
        .app
        .preview_create(input(
            "pr-fail-create",
            "acme/shop",
            "fail-create-preview-app",
            "",
        ))
        .await
        .unwrap();

    let run = finished(&h, &migration.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    let error = run.error.as_deref().unwrap();
    assert!(
        error.starts_with("Deploying the preview app failed at “Apply migrations”"),
        "{error}"
    );
    let tasks = &run.deployment.as_ref().unwrap().tasks;
    let states: Vec<TaskState> = tasks.iter().map(|t| t.state).collect();
    assert_eq!(
        states,
        [
            TaskState::Succeeded,
            TaskState::Succeeded,
            TaskState::Succeeded,
            TaskState::Failed
        ],
        "later steps never started"
    );
    assert!(
        tasks[3]
            .error
            .as_deref()
            .unwrap()
            .contains("scripted failure")
    );
    assert!(
        run.links.is_some(),
        "the project exists even though deploying failed"
    );

    let run = finished(&h, &folder.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    assert_eq!(
        run.error.as_deref(),
        Some(
            "The folder “db/missing” was not found in acme/shop on branch main. Check the \
             Hasura project folder (relative to the repository root) and the branch."
        )
    );

    let run = finished(&h, &unreadable.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    let error = run.error.as_deref().unwrap();
    assert!(
        error.starts_with("Hasura Cloud could not read acme/unreadable-shop"),
        "{error}"
    );
    assert!(error.contains("read access"), "{error}");

    let run = finished(&h, &creation.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    assert!(run.deployment.is_none());
    assert!(
        run.error
            .as_deref()
            .unwrap()
            .starts_with("Creating the preview app failed at “Create the project”"),
        "{:?}",
        run.error
    );
    for id in [&migration.id, &folder.id, &unreadable.id, &creation.id] {
        assert_eq!(phases_of(&seen, id).last(), Some(&RunPhase::Failed));
    }
}

#[tokio::test]
async fn a_github_token_github_refuses_ends_in_a_clear_failure() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    // The simulator's GitHub refuses tokens containing "invalid".
    h.app
        .set_github_token("ghp_fake_invalid_LEAKCHECK_0000")
        .await
        .unwrap();
    let run = h.app.preview_create(ok_input("pr-bad-gh")).await.unwrap();
    let run = finished(&h, &run.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    let error = run.error.as_deref().unwrap();
    assert!(error.starts_with("GitHub refused the token"), "{error}");
    assert!(error.contains("replace it"), "{error}");
    assert!(!serde_json::to_string(&run).unwrap().contains("LEAKCHECK"));
}

#[tokio::test]
async fn a_newer_creation_with_the_same_name_supersedes_the_first() {
    let sim = fast_sim(None).await;
    let (h, _, seen) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    // "slow" makes every step four times as long, so the first is still being created.
    let older = h
        .app
        .preview_create(input("pr-same", "acme/shop", "slow-branch", "hasura"))
        .await
        .unwrap();
    let newer = h.app.preview_create(ok_input("pr-same")).await.unwrap();

    let run = finished(&h, &older.id).await;
    assert_eq!(run.phase, RunPhase::Skipped, "{run:#?}");
    assert!(
        run.error
            .as_deref()
            .unwrap()
            .contains("A newer preview app with the name pr-same"),
        "{:?}",
        run.error
    );
    assert_eq!(run.creation.as_ref().unwrap().state, JobState::Skipped);
    assert_eq!(finished(&h, &newer.id).await.phase, RunPhase::Succeeded);
    assert_eq!(phases_of(&seen, &older.id).last(), Some(&RunPhase::Skipped));

    // The list shows one preview app for the name, from its newest job.
    let rows = h.app.preview_apps().await.unwrap();
    let same: Vec<_> = rows.iter().filter(|r| r.name == "pr-same").collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0].state, PreviewAppState::Succeeded);
    assert_eq!(same[0].job_type, "github-preview-app-deployment");
}

#[tokio::test]
async fn the_monthly_allowance_is_explained() {
    let sim = fast_sim(Some(2)).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let a = h.app.preview_create(ok_input("pr-quota-a")).await.unwrap();
    let b = h.app.preview_create(ok_input("pr-quota-b")).await.unwrap();
    let err = h
        .app
        .preview_create(ok_input("pr-quota-c"))
        .await
        .unwrap_err();
    match &err {
        AppError::RateLimited {
            message,
            retry_after_secs: None,
        } => assert!(
            message.starts_with("Your account has used its 2 preview-app calls this month"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h.app.preview_runs().await.unwrap().len(),
        2,
        "no run for a refused create"
    );
    for run in [a, b] {
        finished(&h, &run.id).await;
    }
}

#[tokio::test]
async fn input_and_token_are_checked_before_anything_is_sent() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    let before = sim.control().request_count();
    let err = h
        .app
        .preview_create(ok_input("pr-no-token"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), Some("githubToken"), "{err}");
    for blank in ["", "   ", "\n"] {
        let err = h.app.set_github_token(blank).await.unwrap_err();
        assert_eq!(field_of(&err), Some("githubToken"));
    }
    let err = h.app.set_github_token("ghp_two words").await.unwrap_err();
    assert_eq!(field_of(&err), Some("githubToken"));
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    for (bad, field) in [
        (
            input("pr-x", "gitlab.com/acme/shop", "main", ""),
            "repository",
        ),
        (input("pr-x", "acme/shop", "", ""), "branch"),
        (input("pr-x", "acme/shop", "main", "../up"), "directory"),
        (input("_-_", "acme/shop", "main", ""), "name"),
    ] {
        let err = h.app.preview_create(bad).await.unwrap_err();
        assert_eq!(field_of(&err), Some(field), "{err}");
    }
    let err = h
        .app
        .preview_create(PreviewAppInput {
            cloud: "azure".into(),
            ..ok_input("pr-x")
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), Some("cloud"));
    // Nothing of that reached the API (the token checks read only the keychain).
    assert_eq!(sim.control().request_count(), before);

    let parsed = h
        .app
        .parse_repository("git@github.com:acme/shop.git")
        .await
        .unwrap();
    assert_eq!(
        (parsed.owner.as_str(), parsed.repo.as_str()),
        ("acme", "shop")
    );
    let err = h.app.parse_repository("acme").await.unwrap_err();
    assert_eq!(field_of(&err), Some("repository"));
}

#[tokio::test]
async fn the_github_token_is_kept_per_profile_and_never_comes_back() {
    let sim = fast_sim(None).await;
    let (h, profile, seen) = app_on(&sim, fast_watch()).await;
    let account = format!("github-token:{profile}");
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    assert_eq!(
        kept_secret(h.secrets.as_ref(), &account),
        Some(serde_json::json!({"endpoint": sim.graphql_url(), "token": GITHUB_TOKEN})),
        "kept with the endpoint it is for"
    );

    let mut texts: Vec<String> = vec![];
    let mut error = |e: AppError| {
        texts.push(format!("{e} {e:?} {}", serde_json::to_string(&e).unwrap()));
    };
    let ok = h.app.preview_create(ok_input("pr-leak-ok")).await.unwrap();
    let failed = h
        .app
        .preview_create(input("pr-leak-fail", "acme/unreadable", "main", "hasura"))
        .await
        .unwrap();
    // A refusal by the API, with the token in the request body.
    error(
        h.app
            .preview_create(PreviewAppInput {
                region: "mars-north-1".into(),
                ..ok_input("pr-leak-refused")
            })
            .await
            .err()
            .unwrap_or(AppError::internal("accepted")),
    );
    sim.control().add_fault(
        FaultRule::new(FaultKind::DropResponse)
            .on("createGitHubPreviewApp")
            .times(1),
    );
    error(
        h.app
            .preview_create(ok_input("pr-leak-dropped"))
            .await
            .unwrap_err(),
    );
    finished(&h, &ok.id).await;
    finished(&h, &failed.id).await;
    for run in seen.lock().unwrap().iter() {
        texts.push(serde_json::to_string(run).unwrap());
        texts.push(format!("{run:?}"));
    }
    for run in h.app.preview_runs().await.unwrap() {
        texts.push(serde_json::to_string(&run).unwrap());
    }
    texts.push(serde_json::to_string(&h.app.preview_apps().await.unwrap()).unwrap());
    texts.push(serde_json::to_string(&h.app.github_token_status().await.unwrap()).unwrap());
    texts.push(format!("{:?}", h.app));
    texts.push(format!("{:?}", h.settings));
    texts.push(serde_json::to_string(&h.app.get_state().await.unwrap()).unwrap());
    assert!(texts.len() > 10);
    for text in &texts {
        assert!(!text.contains(GITHUB_TOKEN), "leaked: {text}");
        assert!(!text.contains("LEAKCHECK"), "leaked: {text}");
    }

    // Forgetting it removes it from the keychain; deleting the profile too.
    assert!(!h.app.forget_github_token().await.unwrap().stored);
    assert_eq!(h.secrets.get(&account).unwrap(), None);
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    h.app.delete_profile(&profile).await.unwrap();
    assert_eq!(h.secrets.get(&account).unwrap(), None);
    assert!(h.secrets.is_empty(), "{:?}", h.secrets.accounts());
}

/// How many preview apps `sim` was asked to create.
async fn creations(sim: &cloud_sim::Simulator) -> usize {
    let (h, _) = signed_in(sim).await;
    h.app.preview_apps().await.unwrap().len()
}

#[tokio::test]
async fn the_github_token_is_forgotten_with_the_access_token() {
    let sim = fast_sim(None).await;
    let (h, profile, _) = app_on(&sim, fast_watch()).await;
    let account = format!("github-token:{profile}");

    // Signing out forgets it: the next account signed in here does not inherit it.
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    h.app.sign_out(&profile).await.unwrap();
    assert_eq!(kept_secret(h.secrets.as_ref(), &account), None);
    h.app
        .sign_in(sign_in_input(&profile, TOKEN, true))
        .await
        .unwrap();
    assert!(!h.app.github_token_status().await.unwrap().stored);
    let e = h
        .app
        .preview_create(ok_input("pr-after-out"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("githubToken"), "{e:?}");

    // So does moving the profile to another endpoint.
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let other = fast_sim(None).await;
    h.app
        .save_profile(ProfileInput {
            id: Some(profile.clone()),
            name: "Work".into(),
            color: String::new(),
            endpoint: other.graphql_url(),
        })
        .await
        .unwrap();
    assert_eq!(kept_secret(h.secrets.as_ref(), &account), None);
    h.app
        .sign_in(sign_in_input(&profile, TOKEN, true))
        .await
        .unwrap();
    assert!(!h.app.github_token_status().await.unwrap().stored);
    let e = h
        .app
        .preview_create(ok_input("pr-after-move"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("githubToken"), "{e:?}");
    assert_eq!(creations(&other).await, 0);
    assert_eq!(creations(&sim).await, 0);
}

#[tokio::test]
async fn the_github_token_is_not_sent_to_an_endpoint_edited_into_the_settings() {
    let home = fast_sim(None).await;
    let elsewhere = fast_sim(None).await;
    let (h, profile, _) = app_on(&home, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();

    // The settings file edited by hand; the person then signs in to the new endpoint.
    let (next, _) = relaunch_with_endpoint(&h, &profile, &elsewhere.graphql_url());
    next.sign_in(sign_in_input(&profile, TOKEN, true))
        .await
        .unwrap();
    assert!(!next.github_token_status().await.unwrap().stored);
    let e = next
        .preview_create(ok_input("pr-elsewhere"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("githubToken"), "{e:?}");
    assert_eq!(creations(&elsewhere).await, 0, "the GitHub token was sent");

    // Given again for this endpoint, it is used here.
    next.set_github_token(GITHUB_TOKEN).await.unwrap();
    next.preview_create(ok_input("pr-elsewhere")).await.unwrap();
    assert_eq!(creations(&elsewhere).await, 1);
}
