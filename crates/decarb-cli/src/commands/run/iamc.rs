//! `decarb run --iamc`: the run's IAMC table (built by `decarb_engine::iamc`, written by
//! `decarb_data::iamc`) as `iamc.csv` and `iamc.xlsx` in the output folder. docs/iamc.md.

use anyhow::{Context, Result};
use decarb_data::iamc::{csv_bytes, xlsx_bytes};
use decarb_engine::iamc::IamcTable;
use std::path::Path;

/// Writes `iamc.csv` and `iamc.xlsx` into `dir`.
pub fn write(table: &IamcTable, dir: &Path) -> Result<()> {
    for (name, bytes) in [("iamc.csv", csv_bytes(table)?), ("iamc.xlsx", xlsx_bytes(table)?)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
