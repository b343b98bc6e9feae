//! An IAMC timeseries table (model, scenario, region, variable, unit, one value per year): the
//! shape `decarb_engine::iamc` builds a run into and `decarb_data::iamc` writes as CSV and xlsx.

/// One timeseries: a variable of a region, one value per year of [`IamcTable::years`].
#[derive(Debug, Clone, PartialEq)]
pub struct IamcRow {
    pub region: String,
    pub variable: String,
    pub unit: &'static str,
    pub values: Vec<f64>,
}

/// Model, scenario, the years of the columns, and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct IamcTable {
    pub model: String,
    pub scenario: String,
    pub years: Vec<i32>,
    pub rows: Vec<IamcRow>,
}
