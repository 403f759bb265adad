//! Regions offered when creating a project: from the API when the token may read them, else a
//! built-in list.

use hasura_cloud::Region;
use serde::{Deserialize, Serialize};

use crate::validate::CLOUDS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RegionChoice {
    pub cloud: String,
    pub name: String,
    /// The address projects in this region reach the internet from, to allow in a database
    /// firewall; `None` when the API did not say (always, for the built-in list).
    pub nat_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RegionChoices {
    pub regions: Vec<RegionChoice>,
    /// `false` when the list is the built-in one (the API's could not be read).
    pub from_api: bool,
}

/// Regions Hasura Cloud offers, as far as is publicly known (cloud, name). The list lives in
/// cloud-sim, which the sandbox already brings along, so the fallback and the sandbox's regions
/// cannot drift apart.
pub const FALLBACK_REGIONS: &[(&str, &str)] = cloud_sim::KNOWN_REGIONS;

/// The built-in list, `from_api: false`.
pub fn fallback() -> RegionChoices {
    RegionChoices {
        regions: FALLBACK_REGIONS
            .iter()
            .map(|(cloud, name)| RegionChoice {
                cloud: (*cloud).to_owned(),
                name: (*name).to_owned(),
                nat_ip: None,
            })
            .collect(),
        from_api: false,
    }
}

/// The API's active regions in the clouds a project can be created in, in the API's order; the
/// built-in list when none is left.
pub fn from_api(regions: &[Region]) -> RegionChoices {
    let regions: Vec<RegionChoice> = regions
        .iter()
        .filter(|r| r.is_active && CLOUDS.contains(&r.cloud.as_str()))
        .map(|r| RegionChoice {
            cloud: r.cloud.clone(),
            name: r.name.clone(),
            nat_ip: r.nat_ip.clone().filter(|ip| !ip.trim().is_empty()),
        })
        .collect();
    if regions.is_empty() {
        return fallback();
    }
    RegionChoices {
        regions,
        from_api: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(cloud: &str, name: &str, is_active: bool) -> Region {
        Region {
            name: name.into(),
            cloud: cloud.into(),
            is_active,
            nat_ip: Some(format!("192.0.2.{}", name.len())),
        }
    }

    #[test]
    fn fallback_list() {
        let list = fallback();
        assert!(!list.from_api);
        assert_eq!(list.regions.len(), 20);
        let count = |c: &str| list.regions.iter().filter(|r| r.cloud == c).count();
        assert_eq!((count("aws"), count("gcp"), count("azure")), (12, 6, 2));
        assert_eq!(
            serde_json::to_value(&list.regions[0]).unwrap(),
            serde_json::json!({"cloud": "aws", "name": "us-east-1", "natIp": null})
        );
        assert!(
            list.regions
                .iter()
                .all(|r| CLOUDS.contains(&r.cloud.as_str())),
            "the fallback offers only clouds a project can be created in"
        );
    }

    #[test]
    fn api_list_keeps_active_regions_of_known_clouds() {
        let list = from_api(&[
            region("aws", "us-east-2", true),
            region("aws", "old-1", false),
            region("do", "nyc1", true),
            region("gcp", "us-central1", true),
        ]);
        assert!(list.from_api);
        let names: Vec<&str> = list.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["us-east-2", "us-central1"]);
        assert_eq!(list.regions[0].nat_ip.as_deref(), Some("192.0.2.9"));
        let mut blank = region("aws", "us-west-1", true);
        blank.nat_ip = Some(" ".into());
        assert_eq!(from_api(&[blank]).regions[0].nat_ip, None);
        assert_eq!(from_api(&[region("do", "nyc1", true)]), fallback());
        assert_eq!(from_api(&[]), fallback());
    }
}
