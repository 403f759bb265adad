//! Reference data every simulator has (regions, plans) and the optional demo account.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::config::SimConfig;
use crate::preview;
use crate::table::timestamp;
use crate::world::{World, row};

/// Regions Hasura Cloud offers as (cloud, name), as far as is publicly known (no public list
/// exists; these are cloud-native names). The one copy: the simulator's `region` table is made
/// from it, and the app offers it when a token may not read the API's list.
pub const KNOWN_REGIONS: &[(&str, &str)] = &[
    ("aws", "us-east-1"),
    ("aws", "us-east-2"),
    ("aws", "us-west-1"),
    ("aws", "us-west-2"),
    ("aws", "ca-central-1"),
    ("aws", "eu-west-1"),
    ("aws", "eu-west-2"),
    ("aws", "eu-central-1"),
    ("aws", "ap-south-1"),
    ("aws", "ap-southeast-1"),
    ("aws", "ap-southeast-2"),
    ("aws", "ap-northeast-1"),
    ("gcp", "us-central1"),
    ("gcp", "us-east4"),
    ("gcp", "us-west2"),
    ("gcp", "europe-west1"),
    ("gcp", "asia-south1"),
    ("gcp", "asia-southeast1"),
    ("azure", "eastus"),
    ("azure", "westeurope"),
];

/// A new simulated account: the reference data every simulator has, and the demo account when
/// the config asks for it.
pub fn new_world(config: SimConfig, base_url: String, now: DateTime<Utc>) -> World {
    let with_demo = config.seed_demo;
    let mut world = World::new(config, base_url);
    seed_reference_data(&mut world);
    if with_demo {
        seed_demo(&mut world, now);
    }
    world
}

/// The egress (NAT) IP of a region, as users allow it in their database firewall: one address
/// per region from the documentation ranges (RFC 5737), AWS in 203.0.113.0/24, GCP in
/// 198.51.100.0/24, Azure in 192.0.2.0/24. Real regions' addresses are not public.
pub fn nat_ip(cloud: &str, region: &str) -> Option<String> {
    let network = match cloud {
        "aws" => "203.0.113",
        "gcp" => "198.51.100",
        "azure" => "192.0.2",
        _ => return None,
    };
    let index = KNOWN_REGIONS
        .iter()
        .filter(|(c, _)| *c == cloud)
        .position(|(_, name)| *name == region)?;
    Some(format!("{network}.{}", 10 + index))
}

fn seed_reference_data(world: &mut World) {
    for (cloud, name) in KNOWN_REGIONS {
        let nat_ip = nat_ip(cloud, name);
        world.tables.insert(
            "region",
            row(json!({
                "name": name, "cloud": cloud, "is_active": true, "disable_infra_auto_apply": false,
                "nat_ip": nat_ip, "nat_ips": nat_ip.iter().collect::<Vec<_>>(),
            })),
        );
    }
    crate::team::seed(world, Utc::now());
    let created = timestamp(Utc::now());
    for (name, description, collaborators) in [
        ("cloud_free", "Free", false),
        ("cloud_free_v2", "Free (v2)", false),
        ("cloud_payg", "Professional", true),
        ("cloud_shared", "Shared", true),
    ] {
        world.tables.insert(
            "plans",
            row(json!({
                "name": name, "description": description, "collaborators_enabled": collaborators,
                "metrics_enabled": true, "log_retention": 7, "operation_retention": 7,
                "created_at": created, "updated_at": created,
            })),
        );
    }
}

/// Demo projects in different regions and plans, with env vars, plus one finished and one
/// failed preview app.
fn seed_demo(world: &mut World, now: DateTime<Utc>) {
    let day = chrono::Duration::days(1);
    // name, cloud, region, plan, env vars, age in days
    type DemoProject<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        i64,
    );
    let projects: &[DemoProject] = &[
        (
            "shop-production",
            "aws",
            "us-east-2",
            "cloud_payg",
            &[
                (
                    "PG_DATABASE_URL",
                    "postgres://shop:demo-password@db.example.com:5432/shop",
                ),
                ("HASURA_GRAPHQL_CORS_DOMAIN", "https://shop.example.com"),
                ("HASURA_GRAPHQL_ENABLE_CONSOLE", "false"),
                ("STRIPE_SECRET_KEY", "sk_test_demo_not_a_real_key"),
                ("ACTIONS_BASE_URL", "https://actions.shop.example.com"),
            ],
            120,
        ),
        (
            "shop-staging",
            "aws",
            "us-east-2",
            "cloud_free",
            &[
                (
                    "PG_DATABASE_URL",
                    "postgres://shop:staging-password@staging-db.example.com:5432/shop",
                ),
                ("HASURA_GRAPHQL_CORS_DOMAIN", "*"),
                ("HASURA_GRAPHQL_ENABLE_CONSOLE", "true"),
                ("STRIPE_SECRET_KEY", "sk_test_demo_staging_key"),
                ("ACTIONS_BASE_URL", "https://actions.staging.example.com"),
                ("FEATURE_NEW_CHECKOUT", "true"),
            ],
            90,
        ),
        (
            "analytics-eu",
            "gcp",
            "europe-west1",
            "cloud_payg",
            &[
                (
                    "PG_DATABASE_URL",
                    "postgres://analytics@eu-db.example.com/analytics",
                ),
                ("HASURA_GRAPHQL_UNAUTHORIZED_ROLE", "anonymous"),
            ],
            45,
        ),
        (
            "mobile-backend",
            "aws",
            "ap-south-1",
            "cloud_free",
            &[
                ("PG_DATABASE_URL", "postgres://mobile@db.example.com/mobile"),
                ("JWT_AUDIENCE", "mobile-app"),
            ],
            30,
        ),
        ("internal-tools", "azure", "eastus", "cloud_shared", &[], 10),
    ];
    for (name, cloud, region, plan, envs, age_days) in projects {
        let created = now - day * (*age_days as i32);
        let envs = envs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        world.insert_project(name, cloud, region, plan, envs, created);
    }
    for (name, branch) in [
        ("shop-pr-42", "feature/checkout"),
        ("shop-pr-43", "fail-apply-migration"),
    ] {
        let payload = json!({ "payload": {
            "githubPersonalAccessToken": "demo-github-token",
            "githubRepoDetails": { "owner": "acme", "repo": "shop", "branch": branch, "directory": "hasura" },
            "projectOptions": { "name": name, "cloud": "aws", "region": "us-east-2", "plan": "cloud_free",
                "envVars": [{ "key": "PG_DATABASE_URL", "value": "postgres://preview@db.example.com/shop" }] },
        }});
        let started = now - chrono::Duration::hours(2);
        // Preview apps made long enough ago have finished by now; replaying them through the
        // real job machinery keeps the demo data faithful to live runs.
        if preview::create_preview_app(world, &payload, started).is_ok() {
            preview::advance(world, now);
        }
    }
    // Seeded projects were created in the past: they have finished provisioning.
    preview::advance(world, now);
}
