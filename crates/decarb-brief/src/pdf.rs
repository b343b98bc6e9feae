//! Printing a brief to PDF with a headless Chromium, when one is on the machine. Chromium is
//! started with the network off (`--host-resolver-rules` maps every host to nothing, no
//! background networking), a throw-away profile, and no GPU.

use crate::BriefError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Chromium is looked for: `DECARB_CHROMIUM`, then the usual Debian and Ubuntu paths.
pub fn find_chromium() -> Option<PathBuf> {
    let named = std::env::var_os("DECARB_CHROMIUM").map(PathBuf::from);
    named
        .into_iter()
        .chain(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

/// The arguments every headless run gets: sandbox off (containers), no GPU, no network.
pub fn headless_args(profile: &Path) -> Vec<String> {
    vec![
        "--headless".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--no-first-run".into(),
        "--host-resolver-rules=MAP * ~NOTFOUND".into(),
        format!("--user-data-dir={}", profile.display()),
    ]
}

/// The `file://` URL of a path.
pub fn file_url(path: &Path) -> Result<String, BriefError> {
    let absolute = std::fs::canonicalize(path).map_err(|e| BriefError::Io(path.display().to_string(), e))?;
    Ok(format!("file://{}", absolute.display()))
}

/// Prints the HTML file `html` to the PDF file `pdf` (A4, from the page's `@page` rules).
pub fn print_pdf(html: &Path, pdf: &Path) -> Result<(), BriefError> {
    let chromium = find_chromium().ok_or_else(|| {
        BriefError::Input(
            "--pdf needs Chromium (looked for $DECARB_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, \
             /usr/bin/google-chrome); install it or leave out --pdf"
                .to_owned(),
        )
    })?;
    let profile = tempfile::tempdir().map_err(|e| BriefError::Io("temporary directory".into(), e))?;
    let pdf_abs = if pdf.is_absolute() {
        pdf.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| BriefError::Io(".".into(), e))?.join(pdf)
    };
    let _ = std::fs::remove_file(&pdf_abs);
    let output = Command::new(&chromium)
        .args(headless_args(profile.path()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf_abs.display()))
        .arg(file_url(html)?)
        .output()
        .map_err(|e| BriefError::Io(chromium.display().to_string(), e))?;
    let made = std::fs::metadata(&pdf_abs).is_ok_and(|m| m.len() > 0);
    if !output.status.success() || !made {
        return Err(BriefError::Io(
            pdf_abs.display().to_string(),
            std::io::Error::other(format!(
                "Chromium did not print the PDF (exit {:?}): {}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")
            )),
        ));
    }
    Ok(())
}
