//! The bounds decarb-data's readers enforce, in one place, each with the reason for its value
//! (`docs/limits.md`). A value or file beyond one is an error naming the file, sheet, row, column,
//! the value found and the bound, never a stored number.

/// The largest capacity of one plant or unit, t/yr, after unit conversion: 100 Mt/yr is four
/// times the largest single site of any sector (an integrated steelworks of about 23 Mt/yr); a
/// capacity of 1e308 (which prints `inf` once converted from kt) or 1.2e18 t/yr is a typo or an
/// attack, never a plant.
pub const MAX_CAPACITY_TPA: f64 = 1e8;

/// The most cells a sheet's grid may span (rows x columns from its first to its last non-empty
/// cell): 5 million cells are about 160 MB of grid, 50 times the largest sheet decarb reads (the
/// SFI cement database's plants, 3,118 rows x 34 columns); a stray cell at AY1048576 (53 million
/// cells, 1.6 GB) or XFD1048576 (17 billion cells, 512 GB) is refused ([`crate::sheet`]).
pub const MAX_SHEET_CELLS: u64 = 5_000_000;

/// The largest file (or decompressed `.gz` member) decarb reads into memory: 512 MiB is a hundred
/// times the largest tracker or model file it reads (a few MB each), and parsing holds about three
/// copies; a larger file, or a gzip bomb, is refused before it is read whole.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Reads `path` whole, refusing a file larger than [`MAX_FILE_BYTES`] before reading it.
pub fn read_file(path: &std::path::Path) -> crate::Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|err| crate::Error::io(path, err))?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(path, &format!("{size} bytes")));
    }
    std::fs::read(path).map_err(|err| crate::Error::io(path, err))
}

/// Decompresses gzip `bytes` of `path`, refusing output beyond [`MAX_FILE_BYTES`].
pub fn gunzip(path: &std::path::Path, bytes: &[u8]) -> crate::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).take(MAX_FILE_BYTES + 1).read_to_end(&mut out).map_err(|err| {
        crate::Error::format(crate::Location::file(path), format!("not a readable gzip file: {err}"))
    })?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path, "its decompressed content"));
    }
    Ok(out)
}

fn too_large(path: &std::path::Path, what: &str) -> crate::Error {
    crate::Error::format(
        crate::Location::file(path),
        format!(
            "{what} is more than decarb reads ({} MiB): not a tracker or model file",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}
