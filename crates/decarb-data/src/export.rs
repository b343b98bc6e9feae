//! Writing a normalised fleet in decarb's own format (`docs/fleet-format.md`): CSV for plants or
//! for furnace units, JSON for both. Reading an export back gives an equal fleet.

use crate::error::{Error, Location, Result};
use crate::import::decarb_format;
use decarb_model::{FurnaceUnit, Plant};
use std::io::Write;
use std::path::Path;

/// The output formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// From the output file's extension (`.csv`, `.json`).
    pub fn from_path(path: &Path) -> Result<ExportFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Ok(ExportFormat::Csv),
            Some("json") => Ok(ExportFormat::Json),
            _ => Err(Error::format(
                Location::file(path),
                "unknown output format: the file name must end in .csv or .json",
            )),
        }
    }
}

/// Writes plants and units to `out`. A CSV holds either plants or units: both at once is an
/// error that suggests JSON.
pub fn write_fleet(
    plants: &[Plant],
    units: &[FurnaceUnit],
    format: ExportFormat,
    out: &mut dyn Write,
    at: &Location,
) -> Result<()> {
    match format {
        ExportFormat::Json => decarb_format::write_json(plants, units, out, at),
        ExportFormat::Csv if units.is_empty() => decarb_format::write_plant_csv(plants, out, at),
        ExportFormat::Csv if plants.is_empty() => decarb_format::write_unit_csv(units, out, at),
        ExportFormat::Csv => Err(Error::format(
            at.clone(),
            "a CSV export holds plants or furnace units, not both: export to .json, or export plant and unit files separately",
        )),
    }
}

/// Writes plants and units to the file at `path`, in the format its extension names. The file
/// is written completely or not at all (a temporary file renamed into place).
pub fn export_fleet(plants: &[Plant], units: &[FurnaceUnit], path: &Path) -> Result<()> {
    let format = ExportFormat::from_path(path)?;
    let at = Location::file(path);
    let mut buffer = Vec::new();
    write_fleet(plants, units, format, &mut buffer, &at)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = std::path::PathBuf::from(temporary);
    std::fs::write(&temporary, &buffer).map_err(|err| Error::io(path, err))?;
    std::fs::rename(&temporary, path).map_err(|err| Error::io(path, err))
}
