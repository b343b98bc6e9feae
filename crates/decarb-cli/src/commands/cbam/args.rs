//! The arguments of `decarb cbam`'s subcommands (clap), shared by the subcommand modules.

use crate::output::RowsOut;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PathwayArgs {
    /// The run's summary.csv (columns year, sector, region, production_mt, direct_emissions_mtco2,
    /// indirect_emissions_mtco2).
    pub(super) summary: PathBuf,
    /// Sector of the run to price: steel, aluminium, cement or ammonia.
    #[arg(long)]
    pub(super) sector: String,
    /// CN code that stands for the sector's exports (default: 7208 hot-rolled flat steel,
    /// 7601 10 00 unwrought aluminium, 2523 29 00 grey Portland cement, 2814 10 00 ammonia).
    #[arg(long, value_name = "CN")]
    pub(super) good: Option<String>,
    /// Production route letter for the Column A benchmark (default: K for aluminium).
    #[arg(long, value_name = "LETTER")]
    pub(super) route: Option<String>,
    /// EUR per certificate (default: the bundled published price, flagged).
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    pub(super) certificate_price: Option<String>,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub(super) correction_factor: Option<String>,
    /// Write the cost per tonne by region as an SVG chart (cbam-pathway.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "cbam-pathway.svg")]
    pub(super) chart: Option<PathBuf>,
    #[command(flatten)]
    pub(super) output: RowsOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegimeArg {
    /// EU CBAM, Reg. (EU) 2023/956.
    Eu,
    /// UK CBAM, Finance Act 2026 Part 5 (from 2027).
    Uk,
}

/// How the good's embedded emissions and free allocation are established (shared by quote and
/// schedule).
#[derive(Debug, clap::Args)]
pub struct EmissionArgs {
    /// Actual, verified direct SEE in t CO2e per tonne (precursors included). Without it, default values.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub(super) see_direct: Option<String>,
    /// Actual indirect SEE in t CO2e per tonne; counted only for goods outside Annex II
    /// (cement, fertilisers, sintered ore) in the EU, always in the UK.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub(super) see_indirect: Option<String>,
    /// Actual path: the precursors' free allocation Σ m_i × SEFA_i in t CO2e per tonne, added to
    /// the good's own Column A benchmark (IR 2025/2620 pt 3.3).
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub(super) precursor_sefa: Option<String>,
    /// Use the IR 2025/2621 default values (the default when --see-direct is absent).
    #[arg(long, conflicts_with_all = ["see_direct", "see_indirect", "precursor_sefa"])]
    pub(super) default_values: bool,
    /// Do not apply the default-value mark-up (as for the quarterly holding or the de minimis review).
    #[arg(long)]
    pub(super) no_markup: bool,
    /// A benchmark in t CO2e per tonne, instead of the IR 2025/2620 table (Column A with actual
    /// data, Column B with defaults).
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub(super) benchmark: Option<String>,
    /// Production route letter of IR 2025/2620 (C BF/BOF, D DRI/EAF, E scrap/EAF, K primary and
    /// L secondary aluminium, A grey / B white clinker and hydraulic cement, …). On the default path,
    /// the country's default route of IR 2025/2621 Annex I otherwise; required for clinker.
    #[arg(long, value_name = "LETTER")]
    pub(super) route: Option<String>,
    /// Effective carbon price paid in the country of origin, EUR per t CO2e embedded, net of
    /// rebates (Art. 9; actual emissions only). GBP under --regime uk.
    #[arg(long, value_name = "EUR_PER_T", allow_hyphen_values = true)]
    pub(super) carbon_price_paid: Option<String>,
    /// EUR per certificate. Default: the bundled published price of the period (Q1 2026: EUR 75.36),
    /// else the last published one, flagged. Under --regime uk: the UK ETS auction average of the
    /// preceding quarter in GBP (required).
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    pub(super) certificate_price: Option<String>,
    /// Cross-sectoral correction factor CSCF. Default 1: a placeholder, the 2026-2030 values are
    /// unpublished (flagged in the output).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub(super) correction_factor: Option<String>,
    /// Actual path: electricity consumed per tonne (MWh/t); the indirect SEE is this × the origin's
    /// grid emission factor (IR 2025/2621 Annex II) from --grid-factors. Counted for goods outside
    /// Annex II only.
    #[arg(
        long,
        value_name = "MWH",
        allow_hyphen_values = true,
        conflicts_with = "see_indirect",
        requires = "see_direct"
    )]
    pub(super) electricity_mwh_per_t: Option<String>,
    /// CSV of grid emission factors (IR 2025/2621 Annex II; columns iso2, country, ef, unit, status,
    /// source), default $DECARB_CBAM_GRID_FACTORS. Not bundled: IEA data under CC BY-NC-SA 4.0
    /// (docs/data-licences.md).
    #[arg(long, value_name = "FILE")]
    pub(super) grid_factors: Option<PathBuf>,
    /// Actual values of a fertiliser given per tonne of nitrogen: the product's nitrogen mass
    /// fraction (0.46 for urea), converting them to per tonne of product (functional unit, IR (EU)
    /// 2025/2547 recital 6).
    #[arg(
        long,
        value_name = "F",
        allow_hyphen_values = true,
        requires = "see_direct",
        conflicts_with = "clinker_content"
    )]
    pub(super) nitrogen_content: Option<String>,
    /// Actual values of a cement given per tonne of clinker contained: the cement's clinker mass
    /// fraction (t clinker per t cement), converting them to per tonne of cement.
    #[arg(long, value_name = "F", allow_hyphen_values = true, requires = "see_direct")]
    pub(super) clinker_content: Option<String>,
    /// CSV of the emission factors of imported electricity (IR 2025/2621 Annex III; columns as
    /// --grid-factors), default $DECARB_CBAM_ELECTRICITY_FACTORS: the default path of CN 2716 00 00.
    /// Not bundled: IEA data under CC BY-NC-SA 4.0 (docs/data-licences.md).
    #[arg(long, value_name = "FILE")]
    pub(super) electricity_factors: Option<PathBuf>,
    /// UK only: the sector's adjusted free-allocation percentage as a fraction (FA_adj, s. 149).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub(super) uk_free_allocation: Option<String>,
    /// Which border adjustment.
    #[arg(long, value_enum, default_value = "eu")]
    pub(super) regime: RegimeArg,
}

#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// CN code of the good ("7208", "7207 19 12").
    #[arg(long, value_name = "CN")]
    pub(super) good: String,
    /// Country of origin, ISO 3166-1 code ("IND", "IN"), or OTHER for the 'Other countries' defaults.
    #[arg(long, value_name = "ISO3")]
    pub(super) origin: String,
    /// Net mass imported, tonnes (MWh for electricity).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub(super) tonnes: String,
    /// Year of import (2026 on).
    #[arg(long, value_name = "Y", allow_hyphen_values = true)]
    pub(super) year: i32,
    /// Year of production, which selects the benchmark band (default: the year of import).
    #[arg(long, value_name = "Y")]
    pub(super) production_year: Option<i32>,
    /// Date of import (YYYY-MM-DD), which selects the quarterly (2026) or weekly (2027 on) price.
    #[arg(long, value_name = "DATE")]
    pub(super) import_date: Option<String>,
    /// Hold the last published benchmark band (2028-2030) for later production years, flagged.
    #[arg(long)]
    pub(super) hold_benchmarks: bool,
    #[command(flatten)]
    pub(super) emissions: EmissionArgs,
    #[command(flatten)]
    pub(super) output: RowsOut,
}

#[derive(Debug, clap::Args)]
pub struct DeclareArgs {
    /// The imports CSV (columns: docs/cbam-declare-format.md).
    pub(super) imports: PathBuf,
    /// Year of import the declaration covers.
    #[arg(long, value_name = "Y", allow_hyphen_values = true)]
    pub(super) year: i32,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub(super) correction_factor: Option<String>,
    /// EUR per certificate for lines without their own price.
    #[arg(long, value_name = "EUR", allow_hyphen_values = true)]
    pub(super) certificate_price: Option<String>,
    /// Do not apply the default-value mark-up.
    #[arg(long)]
    pub(super) no_markup: bool,
    /// Hold the last published benchmark band for later production years, flagged.
    #[arg(long)]
    pub(super) hold_benchmarks: bool,
    /// Also write the complete annual declaration (Reg. (EU) 2023/956 Art. 6) as JSON to FILE
    /// (fields: docs/cbam-declare-format.md). Needs --declarant.
    #[arg(long, value_name = "FILE.json")]
    pub(super) declaration: Option<PathBuf>,
    /// The authorised CBAM declarant's name (Art. 5, Art. 17), for --declaration.
    #[arg(long, value_name = "NAME")]
    pub(super) declarant: Option<String>,
    /// The declarant's CBAM account number or EORI (Art. 16, Art. 17), for --declaration.
    #[arg(long, value_name = "ID")]
    pub(super) declarant_id: Option<String>,
    /// CSV of the emission factors of imported electricity (IR 2025/2621 Annex III), for
    /// electricity lines on default values; default $DECARB_CBAM_ELECTRICITY_FACTORS.
    #[arg(long, value_name = "FILE")]
    pub(super) electricity_factors: Option<PathBuf>,
    /// Installation data (processes and precursors, IR (EU) 2025/2547; docs/cbam-declare-format.md):
    /// lines whose `installation` names a process get its SEE from its activity data.
    #[arg(long, value_name = "FILE")]
    pub(super) installations: Option<PathBuf>,
    #[command(flatten)]
    pub(super) output: RowsOut,
}

#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// CN code of the good.
    #[arg(long, value_name = "CN")]
    pub(super) good: String,
    /// Country of origin, ISO 3166-1 code, or OTHER.
    #[arg(long, value_name = "ISO3")]
    pub(super) origin: String,
    #[command(flatten)]
    pub(super) emissions: EmissionArgs,
    /// Error instead of holding the 2028-2030 benchmark band for 2031-2033 (nothing is published
    /// for 2031 on; by default the last band is held and flagged).
    #[arg(long)]
    pub(super) strict_benchmarks: bool,
    /// Write the cost-per-tonne chart as SVG to FILE (cbam-schedule.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "cbam-schedule.svg")]
    pub(super) chart: Option<PathBuf>,
    #[command(flatten)]
    pub(super) output: RowsOut,
}
