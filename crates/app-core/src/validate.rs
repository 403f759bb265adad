//! Checks of what a person typed, before anything is sent: project names, env-var keys, clouds and
//! plans. Each failure is `invalidInput` naming the form field.

use std::collections::HashSet;

use crate::error::AppError;

/// Clouds a project can be created in.
pub const CLOUDS: &[&str] = &["aws", "gcp", "azure"];

/// Plans a project can be created with.
pub const PLANS: &[&str] = &["cloud_free", "cloud_payg", "cloud_free_v2", "cloud_shared"];

pub const MIN_PROJECT_NAME: usize = 3;

/// The project-name rule in words: said with every refusal and shown beside the field.
pub const PROJECT_NAME_RULE: &str = "A project name has 3 to 40 lowercase letters, digits and \
                                     hyphens, and does not start or end with a hyphen (e.g. \
                                     shop-staging).";
pub const MAX_PROJECT_NAME: usize = 40;

/// A project name: 3–40 lowercase letters, digits and hyphens, not starting or ending with a
/// hyphen. Returns it trimmed.
pub fn project_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let rule = PROJECT_NAME_RULE;
    let refuse = |why: &str| Err(AppError::invalid("name", format!("{why} {rule}")));
    if name.is_empty() {
        return refuse("Give the project a name.");
    }
    let len = name.chars().count();
    if len < MIN_PROJECT_NAME {
        return refuse("This name is too short.");
    }
    if len > MAX_PROJECT_NAME {
        return refuse("This name is too long.");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return refuse("This name has characters that are not allowed.");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return refuse("This name starts or ends with a hyphen.");
    }
    Ok(name.to_owned())
}

/// True for `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One env-var key: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn env_key(key: &str) -> Result<(), AppError> {
    if is_env_key(key) {
        return Ok(());
    }
    let shown = if key.is_empty() {
        "An environment variable has no name.".to_owned()
    } else {
        format!("\"{key}\" is not a valid environment variable name.")
    };
    Err(AppError::invalid(
        "envs",
        format!("{shown} Names start with a letter or _ and contain only letters, digits and _."),
    ))
}

/// Env-var keys: each follows [`env_key`], no key twice.
pub fn env_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<(), AppError> {
    let mut seen = HashSet::new();
    for key in keys {
        env_key(key)?;
        if !seen.insert(key) {
            return Err(AppError::invalid(
                "envs",
                format!("The environment variable {key} is listed twice."),
            ));
        }
    }
    Ok(())
}

/// One of [`CLOUDS`].
pub fn cloud(cloud: &str) -> Result<String, AppError> {
    let cloud = cloud.trim();
    if CLOUDS.contains(&cloud) {
        Ok(cloud.to_owned())
    } else {
        Err(AppError::invalid(
            "cloud",
            "Choose a cloud: AWS, Google Cloud or Azure.",
        ))
    }
}

/// A region name: not empty, no spaces.
pub fn region(region: &str) -> Result<String, AppError> {
    let region = region.trim();
    if region.is_empty() {
        return Err(AppError::invalid("region", "Choose a region."));
    }
    if !region
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            "region",
            "A region name has only letters, digits and hyphens (e.g. us-east-2).",
        ));
    }
    Ok(region.to_owned())
}

/// One of [`PLANS`].
pub fn plan(plan: &str) -> Result<String, AppError> {
    let plan = plan.trim();
    if PLANS.contains(&plan) {
        Ok(plan.to_owned())
    } else {
        Err(AppError::invalid(
            "plan",
            format!("Choose a plan: {}.", PLANS.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<impl std::fmt::Debug, AppError>) -> String {
        match result {
            Err(AppError::InvalidInput {
                field: Some(field), ..
            }) => field,
            other => panic!("expected invalidInput with a field, got {other:?}"),
        }
    }

    #[test]
    fn project_names() {
        for ok in ["abc", "shop-staging", "a1-b2", &"a".repeat(40), " padded "] {
            assert_eq!(project_name(ok).unwrap(), ok.trim());
        }
        for bad in [
            "",
            "ab",
            &"a".repeat(41),
            "Shop",
            "shop_staging",
            "-shop",
            "shop-",
            "shop staging",
            "café",
        ] {
            assert_eq!(field(project_name(bad)), "name", "{bad}");
        }
    }

    #[test]
    fn env_key_rules() {
        for ok in ["A", "_", "PG_DATABASE_URL", "a1", "_x_9"] {
            assert!(is_env_key(ok), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A B", "É", "A.B"] {
            assert!(!is_env_key(bad), "{bad}");
        }
        env_keys(["A", "B"]).unwrap();
        assert_eq!(field(env_keys(["A", "1B"])), "envs");
        let e = env_keys(["A", "B", "A"]).unwrap_err();
        assert!(e.message().contains("twice"), "{e}");
        assert_eq!(field(env_keys([""])), "envs");
    }

    #[test]
    fn clouds_regions_plans() {
        for c in CLOUDS {
            assert_eq!(cloud(c).unwrap(), *c);
        }
        assert_eq!(field(cloud("do")), "cloud");
        assert_eq!(field(cloud("AWS")), "cloud");
        assert_eq!(region(" us-east-2 ").unwrap(), "us-east-2");
        assert_eq!(field(region("")), "region");
        assert_eq!(field(region("us east")), "region");
        for p in PLANS {
            assert_eq!(plan(p).unwrap(), *p);
        }
        assert_eq!(field(plan("enterprise")), "plan");
    }
}
