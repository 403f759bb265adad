//! Help → About: the facts only the shell knows, handed to `app_core::about`.

use app_core::about::{About, ThirdPartyLicenses};

/// `scripts/licenses.mjs`'s list, copied in by build.rs (empty when it was not generated).
const LICENSES: &str = include_str!(concat!(env!("OUT_DIR"), "/third-party-licenses.json"));

#[tauri::command]
#[specta::specta]
pub fn about() -> About {
    let engine = if cfg!(target_os = "linux") {
        "WebKitGTK"
    } else if cfg!(target_os = "macos") {
        "WebKit"
    } else {
        "WebView2"
    };
    About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: option_env!("HCD_COMMIT").map(str::to_owned),
        build_date: env!("HCD_BUILD_DATE").to_owned(),
        tauri_version: tauri::VERSION.to_owned(),
        webview: tauri::webview_version()
            .ok()
            .map(|version| format!("{engine} {version}")),
        licenses: ThirdPartyLicenses::read(LICENSES),
    }
}
