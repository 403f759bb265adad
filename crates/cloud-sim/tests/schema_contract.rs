//! The simulator serves exactly the contract: every type, field, argument and nullability it
//! exposes is the one in `schema/cloud-schema.graphql`, and it serves all of that file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::BTreeMap;

use apollo_compiler::Schema;
use apollo_compiler::schema::ExtendedType;

const CONTRACT: &str = include_str!("../../../schema/cloud-schema.graphql");

/// type name → (kind, member name → signature)
fn describe(schema: &Schema) -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    let mut out = BTreeMap::new();
    for (name, ty) in &schema.types {
        if ty.is_built_in() {
            continue;
        }
        let (kind, members): (&str, BTreeMap<String, String>) = match ty {
            ExtendedType::Scalar(_) => ("scalar", BTreeMap::new()),
            ExtendedType::Object(o) => (
                "object",
                o.fields
                    .iter()
                    .map(|(f, def)| {
                        let args: Vec<String> = def
                            .arguments
                            .iter()
                            .map(|a| format!("{}: {}", a.name, a.ty))
                            .collect();
                        (f.to_string(), format!("({}): {}", args.join(", "), def.ty))
                    })
                    .collect(),
            ),
            ExtendedType::InputObject(i) => (
                "input",
                i.fields
                    .iter()
                    .map(|(f, def)| {
                        let default = def
                            .default_value
                            .as_ref()
                            .map(|d| format!(" = {d}"))
                            .unwrap_or_default();
                        (f.to_string(), format!("{}{default}", def.ty))
                    })
                    .collect(),
            ),
            ExtendedType::Enum(e) => (
                "enum",
                e.values
                    .keys()
                    .map(|v| (v.to_string(), String::new()))
                    .collect(),
            ),
            ExtendedType::Interface(_) => ("interface", BTreeMap::new()),
            ExtendedType::Union(_) => ("union", BTreeMap::new()),
        };
        out.insert(name.to_string(), (kind.to_string(), members));
    }
    out
}

fn parse(sdl: &str, name: &str) -> Schema {
    match Schema::parse_and_validate(sdl, name) {
        Ok(valid) => valid.into_inner(),
        Err(with_errors) => panic!("{name} is not a valid schema:\n{}", with_errors.errors),
    }
}

fn differences(served_sdl: &str) -> Vec<String> {
    let served = describe(&parse(served_sdl, "served.graphql"));
    let contract = describe(&parse(CONTRACT, "cloud-schema.graphql"));
    // The comparison sees the whole contract, not an empty parse.
    assert!(
        contract.len() > 50
            && contract.contains_key("projects")
            && contract.contains_key("mutation_root")
    );

    let mut differences = Vec::new();
    for (name, (kind, members)) in &served {
        match contract.get(name) {
            None => differences.push(format!("served type {name} is not in the contract")),
            Some((contract_kind, contract_members)) => {
                if kind != contract_kind {
                    differences.push(format!(
                        "{name}: served as {kind}, contract says {contract_kind}"
                    ));
                }
                for (member, signature) in members {
                    match contract_members.get(member) {
                        None => differences
                            .push(format!("{name}.{member} is served but not in the contract")),
                        Some(expected) if expected != signature => differences.push(format!(
                            "{name}.{member}: served {signature}, contract {expected}"
                        )),
                        Some(_) => {}
                    }
                }
                for member in contract_members
                    .keys()
                    .filter(|m| !members.contains_key(*m))
                {
                    differences.push(format!("{name}.{member} is in the contract but not served"));
                }
            }
        }
    }
    for name in contract.keys().filter(|n| !served.contains_key(*n)) {
        differences.push(format!("contract type {name} is not served"));
    }
    differences
}

#[test]
fn served_schema_equals_the_contract() {
    let served_sdl = cloud_sim::served_sdl(cloud_sim::SimConfig::default()).unwrap();
    let differences = differences(&served_sdl);
    assert!(
        differences.is_empty(),
        "schema differences:\n{}",
        differences.join("\n")
    );
}

#[test]
fn a_changed_nullability_is_reported() {
    let served_sdl = cloud_sim::served_sdl(cloud_sim::SimConfig::default()).unwrap();
    let altered = served_sdl.replacen(
        "getTenantEnv(tenantId: uuid!): TenantEnv",
        "getTenantEnv(tenantId: uuid): TenantEnv",
        1,
    );
    assert_ne!(
        altered, served_sdl,
        "the served SDL has the expected getTenantEnv line"
    );
    assert_eq!(
        differences(&altered),
        vec![
            "query_root.getTenantEnv: served (tenantId: uuid): TenantEnv, contract (tenantId: uuid!): TenantEnv"
        ]
    );
}

#[test]
fn hiding_regions_removes_only_the_region_root_field_and_the_tenants_region_info() {
    let config = cloud_sim::SimConfig {
        regions_readable: false,
        ..Default::default()
    };
    let sdl = cloud_sim::served_sdl(config).unwrap();
    assert_eq!(
        differences(&sdl),
        vec![
            "query_root.region is in the contract but not served",
            "tenant.region_info is in the contract but not served",
        ]
    );
}

#[test]
fn hiding_the_team_parts_removes_them_and_nothing_else() {
    let config = cloud_sim::SimConfig {
        team_visible: false,
        ..Default::default()
    };
    let sdl = cloud_sim::served_sdl(config).unwrap();
    let missing = differences(&sdl);
    assert!(!missing.is_empty());
    for difference in &missing {
        assert!(
            difference.ends_with("is in the contract but not served"),
            "{difference}"
        );
    }
    for field in [
        "query_root.custom_domain_by_pk",
        "mutation_root.insert_custom_domain_one",
        "tenant.custom_domains",
    ] {
        assert!(
            missing.iter().any(|d| d.starts_with(&format!("{field} "))),
            "{field} still served: {missing:?}"
        );
    }
    assert!(
        !missing
            .iter()
            .any(|d| d.starts_with("query_root.projects "))
    );
}
