//! Views of the plant table for lists and dashboards: plant pages with a text search, and fleet
//! aggregates grouped by chosen columns (the server's plant routes and dashboard read these).
//! Every user value is bound as a parameter; the only text spliced into SQL are fixed fragments
//! picked from whitelists ([`GroupBy::column`]), never anything a request sent. "As of" and
//! "operating" are the store's one definitions (`sql.rs`).

use crate::{Backend, Store, StoreError};
use decarb_model::{CountryCode, PlantStatus, Route, Sector};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Filters shared by plant lists and fleet aggregates; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct PlantQuery {
    pub sector: Option<Sector>,
    pub country: Option<CountryCode>,
    pub status: Option<PlantStatus>,
    pub route: Option<Route>,
    /// Case-insensitive substring of the plant's name, key or country as written by the source.
    pub text: Option<String>,
    /// Only the plants that count as operating (the store's one definition: operating, and
    /// operating with a retirement announced); combines with `status`.
    pub operating: bool,
    /// The day to read (ISO `YYYY-MM-DD`); `None` is the latest state.
    pub as_of: Option<String>,
}

/// One plant in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlantItem {
    /// Store id: `family/key` (`gem-steel/P100000120152`).
    #[cfg_attr(feature = "openapi", schema(example = "gem-steel/P100000120152"))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "steel"))]
    pub sector: String,
    /// ISO 3166-1 alpha-3 code, when the source's country could be resolved.
    #[cfg_attr(feature = "openapi", schema(example = "DEU"))]
    pub country: Option<String>,
    /// The country as the source wrote it.
    pub country_text: String,
    #[cfg_attr(feature = "openapi", schema(example = "operating"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "bf-bof"))]
    pub route: String,
    /// Capacity in tonnes a year; absent when the source gives none or only ">0".
    pub capacity_tpa: Option<f64>,
    /// Start date as precise as the source gives it (`1973`, `2019-09`).
    pub start: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The source (release) the current state comes from.
    pub source: String,
}

/// A page of plants.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlantPage {
    /// Plants matching the filters, over all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<PlantItem>,
}

/// A column fleet aggregates can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupBy {
    Sector,
    Country,
    Route,
    Status,
    /// Decade of the start date (`1970s`), the fleet's age structure.
    StartDecade,
}

impl GroupBy {
    pub const ALL: [GroupBy; 5] =
        [GroupBy::Sector, GroupBy::Country, GroupBy::Route, GroupBy::Status, GroupBy::StartDecade];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Sector => "sector",
            GroupBy::Country => "country",
            GroupBy::Route => "route",
            GroupBy::Status => "status",
            GroupBy::StartDecade => "start_decade",
        }
    }

    pub fn parse(text: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == text.trim())
    }

    /// The SQL expression of the column: fixed text, chosen by the enum.
    fn column(self) -> &'static str {
        match self {
            GroupBy::Sector => "s.sector",
            GroupBy::Country => "s.country",
            GroupBy::Route => "s.route",
            GroupBy::Status => "s.status",
            GroupBy::StartDecade => {
                "CASE WHEN s.start_date IS NULL THEN NULL ELSE SUBSTR(s.start_date, 1, 3) || '0s' END"
            }
        }
    }
}

/// One group of a fleet aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FleetGroup {
    /// Values of the grouping columns, in the order asked (`null` where the plants have none).
    pub keys: Vec<Option<String>>,
    pub plants: i64,
    /// Sum of reported capacities, tonnes a year.
    pub capacity_tpa: f64,
    /// Plants of the group whose capacity is not reported as a number.
    pub capacity_unknown: i64,
}

/// The WHERE clause shared by lists and aggregates, with parameters $1..$7 (a macro, so the
/// queries built with it are string literals).
macro_rules! plant_where {
    () => {
        concat!(
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            " AND s.listed = 1 AND ($7 = 0 OR ",
            operating_in!("s.status"),
            ") AND (CAST($2 AS TEXT) IS NULL OR s.sector = $2) AND (CAST($3 AS TEXT) IS NULL OR s.country = $3) \
    AND (CAST($4 AS TEXT) IS NULL OR s.status = $4) AND (CAST($5 AS TEXT) IS NULL OR s.route = $5) \
    AND (CAST($6 AS TEXT) IS NULL OR LOWER(s.name) LIKE $6 ESCAPE '!' OR LOWER(p.plant_key) LIKE $6 ESCAPE '!' \
    OR LOWER(s.country_text) LIKE $6 ESCAPE '!')"
        )
    };
}

/// The columns of a plant list row, selected by the page queries.
macro_rules! plant_columns {
    () => {
        "p.family, p.plant_key, s.name, s.sector, s.country, s.country_text, s.status, s.route, s.capacity_tpa, \
         s.start_date, s.latitude, s.longitude, s.source_id FROM plant p JOIN plant_state s ON s.plant_id = p.id WHERE "
    };
}

/// The JSON object of one plant list row (a [`PlantItem`]) in SQLite's JSON functions. SQLite
/// writes a REAL in JSON with 15 significant digits, which does not always give the same f64
/// back (52.21223337468823 becomes 52.2122333746882); `%!.17g` always does.
macro_rules! plant_json_fields_sqlite {
    () => {
        "'id', q.family || '/' || q.plant_key, 'name', q.name, 'sector', q.sector, 'country', q.country, \
         'country_text', q.country_text, 'status', q.status, 'route', q.route, \
         'capacity_tpa', CASE WHEN q.capacity_tpa IS NULL THEN NULL ELSE json(printf('%!.17g', q.capacity_tpa)) END, \
         'start', q.start_date, \
         'latitude', CASE WHEN q.latitude IS NULL THEN NULL ELSE json(printf('%!.17g', q.latitude)) END, \
         'longitude', CASE WHEN q.longitude IS NULL THEN NULL ELSE json(printf('%!.17g', q.longitude)) END, \
         'source', q.source_id"
    };
}

/// The same in PostgreSQL, which writes float8 in JSON as the shortest text that reads back
/// exactly.
macro_rules! plant_json_fields_postgres {
    () => {
        "'id', q.family || '/' || q.plant_key, 'name', q.name, 'sector', q.sector, 'country', q.country, \
         'country_text', q.country_text, 'status', q.status, 'route', q.route, 'capacity_tpa', q.capacity_tpa, \
         'start', q.start_date, 'latitude', q.latitude, 'longitude', q.longitude, 'source', q.source_id"
    };
}

/// A LIKE pattern matching `text` anywhere, its own wildcards escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn bind_filters<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    filter: &PlantQuery,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(filter.as_of.clone())
        .bind(filter.sector.map(Sector::as_str))
        .bind(filter.country.map(CountryCode::as_str))
        .bind(filter.status.map(PlantStatus::as_str))
        .bind(filter.route.map(Route::as_str))
        .bind(filter.text.as_deref().filter(|t| !t.trim().is_empty()).map(like_pattern))
        .bind(i64::from(filter.operating))
}

/// How many plants match `filter`.
pub async fn plant_count(store: &Store, filter: &PlantQuery) -> Result<i64, StoreError> {
    let sql = concat!(
        "SELECT COUNT(*) FROM plant p JOIN plant_state s ON s.plant_id = p.id WHERE ",
        plant_where!()
    );
    bind_filters(sqlx::query(sql), filter)
        .fetch_one(store.pool())
        .await
        .and_then(|row| row.try_get(0))
        .map_err(StoreError::Database)
}

/// A page of the plants matching `filter`, ordered by id.
pub async fn plant_page(
    store: &Store,
    filter: &PlantQuery,
    limit: i64,
    offset: i64,
) -> Result<PlantPage, StoreError> {
    let total = plant_count(store, filter).await?;
    let list_sql = concat!(
        "SELECT ",
        plant_columns!(),
        plant_where!(),
        " ORDER BY p.family, p.plant_key LIMIT $8 OFFSET $9"
    );
    let rows = bind_filters(sqlx::query(list_sql), filter)
        .bind(limit)
        .bind(offset)
        .fetch_all(store.pool())
        .await
        .map_err(StoreError::Database)?;
    let items = rows.iter().map(plant_item).collect::<Result<_, _>>().map_err(StoreError::Database)?;
    Ok(PlantPage { total, limit, offset, items })
}

/// [`plant_page`] as the JSON text of a [`PlantPage`], built by the database: one row comes back
/// instead of one per plant, which is most of the cost of a large page through sqlx.
pub async fn plant_page_json(
    store: &Store,
    filter: &PlantQuery,
    limit: i64,
    offset: i64,
) -> Result<String, StoreError> {
    let total = plant_count(store, filter).await?;
    let sql = match store.backend() {
        Backend::Sqlite => concat!(
            "SELECT COALESCE(json_group_array(json_object(",
            plant_json_fields_sqlite!(),
            ") ORDER BY q.family, q.plant_key), '[]') FROM (SELECT ",
            plant_columns!(),
            plant_where!(),
            " ORDER BY p.family, p.plant_key LIMIT $8 OFFSET $9) q"
        ),
        Backend::Postgres => concat!(
            "SELECT COALESCE(json_agg(json_build_object(",
            plant_json_fields_postgres!(),
            ") ORDER BY q.family, q.plant_key)::text, '[]') FROM (SELECT ",
            plant_columns!(),
            plant_where!(),
            " ORDER BY p.family, p.plant_key LIMIT $8 OFFSET $9) q"
        ),
    };
    let items: String = bind_filters(sqlx::query(sql), filter)
        .bind(limit)
        .bind(offset)
        .fetch_one(store.pool())
        .await
        .and_then(|row| row.try_get(0))
        .map_err(StoreError::Database)?;
    Ok(format!("{{\"total\":{total},\"limit\":{limit},\"offset\":{offset},\"items\":{items}}}"))
}

/// The store's version for cached pages: the newest change, import and plant state ids. Every
/// write to plants (an import, which also rewrites states in place) adds an import run and change
/// rows, so a page built at one version is the page of that version; three index lookups instead
/// of a count and a JSON page over every plant.
pub async fn store_version(store: &Store) -> Result<[i64; 3], StoreError> {
    let row = sqlx::query(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM change_log), (SELECT COALESCE(MAX(id), 0) FROM import_run), \
         (SELECT COALESCE(MAX(id), 0) FROM plant_state)",
    )
    .fetch_one(store.pool())
    .await
    .map_err(StoreError::Database)?;
    let get = |i: usize| row.try_get::<i64, _>(i).map_err(StoreError::Database);
    Ok([get(0)?, get(1)?, get(2)?])
}

fn plant_item(row: &AnyRow) -> Result<PlantItem, sqlx::Error> {
    let family: String = row.try_get(0)?;
    let key: String = row.try_get(1)?;
    Ok(PlantItem {
        id: format!("{family}/{key}"),
        name: row.try_get(2)?,
        sector: row.try_get(3)?,
        country: row.try_get(4)?,
        country_text: row.try_get(5)?,
        status: row.try_get(6)?,
        route: row.try_get(7)?,
        capacity_tpa: row.try_get(8)?,
        start: row.try_get(9)?,
        latitude: row.try_get(10)?,
        longitude: row.try_get(11)?,
        source: row.try_get(12)?,
    })
}

/// Plant counts and capacity grouped by `group_by` (in that order), for the plants matching
/// `filter`; groups ordered by their keys.
pub async fn fleet_groups(
    store: &Store,
    filter: &PlantQuery,
    group_by: &[GroupBy],
) -> Result<Vec<FleetGroup>, StoreError> {
    let columns: Vec<&str> = group_by.iter().map(|g| g.column()).collect();
    let select_keys = columns.iter().fold(String::new(), |mut keys, c| {
        keys.push_str(c);
        keys.push_str(", ");
        keys
    });
    let tail = if columns.is_empty() {
        String::new()
    } else {
        let positions = (1..=columns.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
        format!(" GROUP BY {positions} ORDER BY {positions}")
    };
    let sql = format!(
        "SELECT {select_keys}COUNT(*), SUM(COALESCE(s.capacity_tpa, 0.0)), SUM(CASE WHEN s.capacity_tpa IS NULL THEN 1 ELSE 0 END) \
         FROM plant p JOIN plant_state s ON s.plant_id = p.id WHERE {}{tail}",
        plant_where!()
    );
    // Audited: `select_keys` and `tail` are built only from `GroupBy::column` (fixed text) and
    // column positions; every request value is a bound parameter.
    let rows = bind_filters(sqlx::query(sqlx::AssertSqlSafe(sql)), filter)
        .fetch_all(store.pool())
        .await
        .map_err(StoreError::Database)?;
    let n = columns.len();
    rows.iter()
        .map(|row| {
            let keys = (0..n).map(|i| row.try_get::<Option<String>, _>(i)).collect::<Result<Vec<_>, _>>()?;
            Ok(FleetGroup {
                keys,
                plants: row.try_get(n)?,
                capacity_tpa: row.try_get::<Option<f64>, _>(n + 1)?.unwrap_or(0.0),
                capacity_unknown: row.try_get::<Option<i64>, _>(n + 2)?.unwrap_or(0),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::Database)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_pattern(" Works "), "%works%");
        assert_eq!(like_pattern("100%_a!"), "%100!%!_a!!%");
        assert_eq!(like_pattern("'; DROP TABLE plants; --"), "%'; drop table plants; --%");
    }
}
