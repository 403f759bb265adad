//! Help → About: what this build is, what it runs on, and the third-party licenses of what it
//! ships. The shell gathers the facts only it knows (the build's version, commit and date, the
//! Tauri and webview versions, the license list generated at build time); the list is read here.

use serde::{Deserialize, Serialize};

/// What About shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    /// The commit the app was built from, when the build knew it.
    pub commit: Option<String>,
    /// `YYYY-MM-DD` (UTC).
    pub build_date: String,
    pub tauri_version: String,
    /// The webview with its version (`WebKitGTK 2.48.1`), when the platform says.
    pub webview: Option<String>,
    /// `None` when this build was made without generating them (`npm run licenses`).
    pub licenses: Option<ThirdPartyLicenses>,
}

/// The licenses of the Rust crates and npm packages compiled into the app, as
/// `scripts/licenses.mjs` writes them (`THIRD-PARTY-LICENSES.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ThirdPartyLicenses {
    /// Every package, by ecosystem then name.
    pub packages: Vec<ThirdPartyPackage>,
    /// Each distinct license text once, with the packages it covers.
    pub texts: Vec<LicenseText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ThirdPartyPackage {
    /// `crate` or `npm`.
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// An SPDX expression (`MIT OR Apache-2.0`).
    pub license: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LicenseText {
    /// The SPDX id of the license (`MIT`).
    pub license: String,
    pub text: String,
    /// `name version` of each package it covers.
    pub used_by: Vec<String>,
}

impl ThirdPartyLicenses {
    /// The generated file's contents; `None` when empty or unreadable (a build that did not
    /// generate it).
    pub fn read(json: &str) -> Option<ThirdPartyLicenses> {
        serde_json::from_str::<ThirdPartyLicenses>(json)
            .ok()
            .filter(|l| !l.packages.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_generated_list() {
        let json = r#"{
            "packages": [{ "ecosystem": "crate", "name": "serde", "version": "1.0.0", "license": "MIT OR Apache-2.0" }],
            "texts": [{ "license": "MIT", "text": "Permission is hereby granted", "usedBy": ["serde 1.0.0"] }]
        }"#;
        let read = ThirdPartyLicenses::read(json).unwrap();
        assert_eq!(read.packages[0].name, "serde");
        assert_eq!(read.texts[0].used_by, ["serde 1.0.0"]);
    }

    #[test]
    fn a_build_without_the_list_has_none() {
        assert_eq!(ThirdPartyLicenses::read(""), None);
        assert_eq!(ThirdPartyLicenses::read("{}"), None);
        assert_eq!(
            ThirdPartyLicenses::read(r#"{ "packages": [], "texts": [] }"#),
            None
        );
    }
}
