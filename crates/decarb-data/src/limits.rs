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
