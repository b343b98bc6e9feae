//! Readers for project databases: the LeadIT Green Steel Tracker workbook (TRACKER.md 1.5) and
//! the IEA CCUS Projects Database (xlsx or its CSV export). Headers are found by name; a file
//! missing a required column is rejected whole, naming the sheet and the column; a bad cell
//! names its row, column and value.

use crate::error::Result;
use crate::projects::ProjectRecord;
use calamine::{Data, Reader};
use decarb_data::{Error as DataError, Location};
use decarb_model::CountryCode;
use decarb_model::tracker::ProjectStage;
use std::collections::HashMap;
use std::path::Path;

/// The Green Steel Tracker's project sheet.
pub const GST_SHEET: &str = "3. All Projects";
const GST_REQUIRED: [&str; 5] = ["Internal ID", "Project name", "Company", "Country", "Project status"];
/// The IEA database's sheet in the published workbook.
pub const IEA_SHEET: &str = "CCUS Projects Database";
const IEA_REQUIRED: [&str; 5] = ["Project name", "ID", "Country or economy", "Project Status", "Sector"];

/// A table read from a sheet or a CSV: its header row and the data rows below it, each with the
/// 1-based row number a spreadsheet shows.
struct Table {
    file: std::path::PathBuf,
    sheet: Option<String>,
    columns: HashMap<String, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn at(&self, row: usize, column: &str) -> Location {
        let mut at = Location::file(&self.file).row(row).column(column);
        if let Some(sheet) = &self.sheet {
            at = at.sheet(sheet);
        }
        at
    }

    /// The cell's text, trimmed; empty when the column is absent.
    fn get<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        self.columns.get(column).and_then(|&i| cells.get(i)).map_or("", |text| text.trim())
    }

    /// The cell's text with the trackers' "nothing here" tokens turned into `None`.
    fn value(&self, cells: &[String], column: &str) -> Option<String> {
        let text = self.get(cells, column);
        (!is_null_token(text)).then(|| text.to_owned())
    }
}

/// `Not available`, `Not availiable` (sic), `Not stated`, `Not applicable`, `N/A` and blank mean
/// no value (TRACKER.md 2.7).
fn is_null_token(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "not available" | "not availiable" | "not stated" | "not applicable" | "n/a" | "na" | "-"
    )
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => format!("{value:.0}"),
        Data::Float(value) => format!("{value}"),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        other => other.to_string(),
    }
}

/// Reads a sheet, taking as header the first of its first 20 rows that holds every required
/// column name.
fn read_sheet(path: &Path, sheet: &str, required: &[&str]) -> Result<Table> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|err| DataError::format(Location::file(path), format!("cannot read the workbook: {err}")))?;
    if !workbook.sheet_names().iter().any(|name| name == sheet) {
        return Err(DataError::format(
            Location::file(path),
            format!("no sheet {sheet:?} (sheets: {})", workbook.sheet_names().join(", ")),
        )
        .into());
    }
    let range = decarb_data::sheet::read_sheet(&mut workbook, sheet, &Location::file(path).sheet(sheet))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let rows: Vec<(usize, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i + 1, cells.iter().map(cell_text).collect()))
        .collect();
    table_from_rows(path, Some(sheet), rows, required)
}

fn read_csv(path: &Path, required: &[&str]) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|err| DataError::format(Location::file(path), format!("cannot read the CSV: {err}")))?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|err| DataError::format(Location::file(path).row(i + 1), format!("bad CSV: {err}")))?;
        rows.push((i + 1, record.iter().map(str::to_owned).collect()));
    }
    table_from_rows(path, None, rows, required)
}

fn table_from_rows(
    path: &Path,
    sheet: Option<&str>,
    rows: Vec<(usize, Vec<String>)>,
    required: &[&str],
) -> Result<Table> {
    let header_at = rows
        .iter()
        .take(20)
        .position(|(_, cells)| required.iter().all(|name| cells.iter().any(|cell| cell.trim() == *name)));
    let Some(header_at) = header_at else {
        // Name the first required column missing from the most complete candidate row.
        let best = rows.iter().take(20).max_by_key(|(_, cells)| {
            required.iter().filter(|name| cells.iter().any(|c| c.trim() == **name)).count()
        });
        let missing = required
            .iter()
            .find(|name| !best.is_some_and(|(_, cells)| cells.iter().any(|c| c.trim() == **name)))
            .copied()
            .unwrap_or(required[0]);
        let mut at = Location::file(path).column(missing);
        if let Some(sheet) = sheet {
            at = at.sheet(sheet);
        }
        return Err(DataError::format(
            at,
            format!("required column {missing:?} not found in the header rows"),
        )
        .into());
    };
    let mut rows = rows;
    let data = rows.split_off(header_at + 1);
    let (_, header) = rows.pop().unwrap_or_default();
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        columns.entry(name.trim().to_owned()).or_insert(i);
    }
    let data = data.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())).collect();
    Ok(Table { file: path.to_path_buf(), sheet: sheet.map(str::to_owned), columns, rows: data })
}

/// True when the workbook has the Green Steel Tracker's project sheet.
pub fn is_gst_workbook(path: &Path) -> bool {
    is_xlsx(path)
        && calamine::open_workbook_auto(path)
            .is_ok_and(|workbook| workbook.sheet_names().iter().any(|name| name == GST_SHEET))
}

/// True when the file looks like the IEA CCUS database (its sheet, or a CSV with its columns).
pub fn is_iea_ccus(path: &Path) -> bool {
    if is_xlsx(path) {
        return calamine::open_workbook_auto(path)
            .is_ok_and(|workbook| workbook.sheet_names().iter().any(|name| name == IEA_SHEET));
    }
    let Ok(mut reader) = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(path) else {
        return false;
    };
    reader.records().next().and_then(std::result::Result::ok).is_some_and(|header| {
        IEA_REQUIRED.iter().all(|name| header.iter().any(|cell| cell.trim() == *name))
            && header.iter().any(|cell| cell.trim() == "Announced capacity (Mt CO2/yr)")
    })
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "xls" | "ods"))
}

fn year_or_date(table: &Table, cells: &[String], column: &str, row: usize) -> Result<Option<String>> {
    let Some(text) = table.value(cells, column) else {
        return Ok(None);
    };
    if let Ok(date) = text.parse::<decarb_model::PartialDate>() {
        return Ok(Some(date.to_string()));
    }
    // Trackers write spans and hedges ("2026-2027", "2030 (phase 1)", "end of 2026"): the first
    // plausible year is the date; anything without one is an error naming the cell.
    earliest_year(&text).map(|year| Some(year.to_string())).ok_or_else(|| {
        DataError::value(
            table.at(row, column),
            &text,
            "a year (2026), a date (2026-03-01) or a text holding a year",
        )
        .into()
    })
}

/// The first four-digit number between 1900 and 2100 in a text.
fn earliest_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|part| part.len() == 4)
        .filter_map(|part| part.parse::<i32>().ok())
        .find(|year| (1900..=2100).contains(year))
}

fn number(table: &Table, cells: &[String], column: &str, row: usize) -> Result<Option<f64>> {
    let Some(text) = table.value(cells, column) else {
        return Ok(None);
    };
    let value: f64 = text
        .replace(',', "")
        .parse()
        .map_err(|_| DataError::value(table.at(row, column), &text, "a number"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(DataError::value(table.at(row, column), &text, "a non-negative number").into());
    }
    Ok(Some(value))
}

/// Reads the Green Steel Tracker workbook's `3. All Projects` sheet.
pub fn read_gst(path: &Path) -> Result<Vec<ProjectRecord>> {
    let table = read_sheet(path, GST_SHEET, &GST_REQUIRED)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (row, cells) in &table.rows {
        let row = *row;
        let key = table.get(cells, "Internal ID").to_owned();
        if key.is_empty() {
            return Err(DataError::value(table.at(row, "Internal ID"), "", "the row's id (GST-nnn)").into());
        }
        let company = table.value(cells, "Company").unwrap_or_default();
        let country_text = table.get(cells, "Country").to_owned();
        let country = CountryCode::resolve(&country_text).ok_or_else(|| {
            DataError::value(table.at(row, "Country"), &country_text, "a country name or ISO code")
        })?;
        let site = table.value(cells, "Location (specific)");
        let name = table.value(cells, "Project name").unwrap_or_else(|| {
            format!(
                "{} at {} (name not available)",
                if company.is_empty() { "project" } else { &company },
                site.as_deref().unwrap_or(&country_text)
            )
        });
        let status = table.get(cells, "Project status").to_owned();
        let stage: ProjectStage = status.parse().map_err(|_| {
            DataError::value(
                table.at(row, "Project status"),
                &status,
                "a Green Steel Tracker status (Announced, Construction, Operating, Finalized (research & testing), Paused or postponed, Cancelled)",
            )
        })?;
        let technology = table
            .value(cells, "Specific equipment used")
            .or_else(|| table.value(cells, "Technology to be used"))
            .or_else(|| table.value(cells, "Technology category"))
            .unwrap_or_else(|| "not stated".to_owned());
        let start = match year_or_date(&table, cells, "Actual start year (yyyy)", row)? {
            Some(actual) => Some(actual),
            None => year_or_date(&table, cells, "Planned commissioning", row)?.or(year_or_date(
                &table,
                cells,
                "Year to be online",
                row,
            )?),
        };
        let steel = number(&table, cells, "Steel production capacity (million tonnes per year)", row)?;
        let iron = number(&table, cells, "Iron production capacity (million tonnes per year)", row)?;
        let capacity =
            steel.map(|v| (v, "Mt steel/yr".to_owned())).or(iron.map(|v| (v, "Mt iron/yr".to_owned())));
        let investment =
            number(&table, cells, "Investment size (m USD)", row)?.map(|v| (v, "USD".to_owned()));
        let scale = table.value(cells, "Project scale");
        let category = table.value(cells, "Technology category");
        let notes: Vec<String> =
            [scale.map(|s| format!("scale: {s}")), category.map(|c| format!("technology category: {c}"))]
                .into_iter()
                .flatten()
                .collect();
        let qualified = table.value(cells, "Qualified for Tracker");
        out.push(ProjectRecord {
            key,
            name,
            sector: "steel".to_owned(),
            technology,
            country: Some(country),
            country_text,
            site,
            companies: if company.is_empty() { Vec::new() } else { vec![company] },
            partners: table.value(cells, "Partners").map(|p| split_list(&p)).unwrap_or_default(),
            stage,
            stage_raw: Some(status),
            capacity,
            announced: year_or_date(&table, cells, "Date of announcement", row)?,
            fid: None,
            start,
            investment,
            gem_plant_id: table.value(cells, "GEM Plant ID"),
            parent_programme: None,
            notes: (!notes.is_empty()).then(|| notes.join("; ")),
            assessment: qualified
                .map(|q| (q, table.value(cells, "Reason for Disqualification/Qualification"))),
            row: Some(row),
        });
    }
    Ok(out)
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';']).map(str::trim).filter(|part| !part.is_empty()).map(str::to_owned).collect()
}

/// IEA status words to stages (TRACKER.md 2.10). An FID year on a `Planned` row may be an
/// expected year, so a stage of FID is never inferred from it.
fn iea_stage(status: &str) -> Option<ProjectStage> {
    match status.trim().to_ascii_lowercase().as_str() {
        "planned" => Some(ProjectStage::Announced),
        "under construction" => Some(ProjectStage::Construction),
        "operational" => Some(ProjectStage::Operating),
        "cancelled" | "canceled" => Some(ProjectStage::Cancelled),
        "decommissioned" => Some(ProjectStage::Decommissioned),
        "suspended" => Some(ProjectStage::Paused),
        _ => None,
    }
}

fn iea_sector(sector: &str) -> String {
    match sector.trim().to_ascii_lowercase().as_str() {
        "iron and steel" => "steel".to_owned(),
        "cement" => "cement".to_owned(),
        "hydrogen or ammonia" => "hydrogen-ammonia".to_owned(),
        other => {
            let slug: String =
                other.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            let slug = slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
            if slug.is_empty() { "unspecified".to_owned() } else { slug }
        }
    }
}

/// The announced capture capacity, or the IEA's estimate beside an announced range.
fn iea_capacity(table: &Table, cells: &[String], row: usize) -> Result<Option<(f64, String)>> {
    let estimate = number(table, cells, "Estimated capacity by IEA (Mt CO2/yr)", row)?;
    let announced_text = table.value(cells, "Announced capacity (Mt CO2/yr)");
    Ok(match announced_text {
        None => estimate.map(|v| (v, "Mt CO2/yr (IEA estimate)".to_owned())),
        Some(text) => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some((v, "Mt CO2/yr".to_owned())),
            Ok(_) => {
                return Err(DataError::value(
                    table.at(row, "Announced capacity (Mt CO2/yr)"),
                    &text,
                    "a non-negative number",
                )
                .into());
            }
            // Ranges ("20 - 50") are kept as text beside the IEA's own estimate, or their upper bound.
            Err(_) => {
                let upper =
                    text.rsplit('-').next().and_then(|t| t.trim().parse::<f64>().ok()).filter(|v| *v >= 0.0);
                match (estimate, upper) {
                    (Some(v), _) => Some((v, format!("Mt CO2/yr (IEA estimate; announced {text})"))),
                    (None, Some(v)) => Some((v, format!("Mt CO2/yr (upper bound of announced {text})"))),
                    (None, None) => {
                        return Err(DataError::value(
                            table.at(row, "Announced capacity (Mt CO2/yr)"),
                            &text,
                            "a number or a range (0.5 - 1)",
                        )
                        .into());
                    }
                }
            }
        },
    })
}

/// Reads the IEA CCUS Projects Database (the published xlsx or a CSV export with its columns).
pub fn read_iea_ccus(path: &Path) -> Result<Vec<ProjectRecord>> {
    let table = if is_xlsx(path) {
        read_sheet(path, IEA_SHEET, &IEA_REQUIRED)?
    } else {
        read_csv(path, &IEA_REQUIRED)?
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for (row, cells) in &table.rows {
        let row = *row;
        let id = table.get(cells, "ID").trim_end_matches(".0").to_owned();
        if id.is_empty() {
            return Err(DataError::value(table.at(row, "ID"), "", "the IEA project id").into());
        }
        // The database repeats a few ids (487, 863, 1103): the second is key `IEA-CCUS-487#2`.
        let occurrence = seen.entry(id.clone()).or_insert(0);
        *occurrence += 1;
        let key =
            if *occurrence == 1 { format!("IEA-CCUS-{id}") } else { format!("IEA-CCUS-{id}#{occurrence}") };
        let status = table.get(cells, "Project Status").to_owned();
        let stage = iea_stage(&status).ok_or_else(|| {
            DataError::value(
                table.at(row, "Project Status"),
                &status,
                "an IEA status (Planned, Under construction, Operational, Cancelled, Decommissioned)",
            )
        })?;
        let name = table.get(cells, "Project name").to_owned();
        if name.is_empty() {
            return Err(DataError::value(table.at(row, "Project name"), "", "a project name").into());
        }
        let country_text = table.get(cells, "Country or economy").to_owned();
        let capacity = iea_capacity(&table, cells, row)?;
        let project_type = table.value(cells, "Project type").unwrap_or_else(|| "unspecified".to_owned());
        let fate = table.value(cells, "Fate of carbon");
        let technology = match fate {
            Some(fate) => format!("CCUS {project_type} ({fate})"),
            None => format!("CCUS {project_type}"),
        };
        let ended = year_or_date(&table, cells, "Suspension/decommissioning/cancellation", row)?;
        let reference = table.value(cells, "Ref 1");
        let notes: Vec<String> = [
            ended.map(|y| format!("suspended/decommissioned/cancelled {y}")),
            reference.map(|r| format!("reference: {r}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        out.push(ProjectRecord {
            key,
            name,
            sector: iea_sector(table.get(cells, "Sector")),
            technology,
            country: CountryCode::resolve(&country_text),
            country_text,
            site: None,
            companies: Vec::new(),
            partners: table.value(cells, "Partners").map(|p| split_list(&p)).unwrap_or_default(),
            stage,
            stage_raw: Some(status),
            capacity,
            announced: year_or_date(&table, cells, "Announcement", row)?,
            fid: year_or_date(&table, cells, "FID", row)?,
            start: year_or_date(&table, cells, "Operation", row)?,
            investment: None,
            gem_plant_id: None,
            parent_programme: None,
            notes: (!notes.is_empty()).then(|| notes.join("; ")),
            assessment: None,
            row: Some(row),
        });
    }
    Ok(out)
}
