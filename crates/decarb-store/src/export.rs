//! `decarb db export DIR`: every table, history included, as CSV files in a fixed row order, so
//! a store can be read without decarb and two exports can be compared with `diff`.

use crate::db::Store;
use crate::error::{Result, StoreError};
use sqlx::Row;
use std::path::{Path, PathBuf};

/// (file name, header, query). Every column is cast to text so both backends export alike.
const EXPORTS: &[(&str, &str, &str)] = &[
    (
        "sources.csv",
        "id,citation,url,licence,retrieved",
        "SELECT id, citation, url, licence, retrieved FROM source ORDER BY id",
    ),
    (
        "plants.csv",
        "family,plant_key,valid_from,valid_to,source_id,listed,name,sector,country,country_text,subnational,latitude,longitude,status,route,capacity_kind,capacity_tpa,start_date,last_investment,owners,parents",
        "SELECT p.family, p.plant_key, s.valid_from, s.valid_to, s.source_id, CAST(s.listed AS TEXT), s.name, s.sector, s.country, \
         s.country_text, s.subnational, CAST(s.latitude AS TEXT), CAST(s.longitude AS TEXT), s.status, s.route, s.capacity_kind, \
         CAST(s.capacity_tpa AS TEXT), s.start_date, s.last_investment, s.owners, s.parents FROM plant p \
         JOIN plant_state s ON s.plant_id = p.id ORDER BY p.family, p.plant_key, s.valid_from",
    ),
    (
        "plant_ids.csv",
        "family,plant_key,scheme,external_id,occurrence,matched_by",
        "SELECT p.family, p.plant_key, r.scheme, r.external_id, CAST(r.occurrence AS TEXT), r.matched_by FROM plant_ref r \
         JOIN plant p ON p.id = r.plant_id ORDER BY p.family, p.plant_key, r.scheme, r.external_id, r.occurrence",
    ),
    (
        "plant_units.csv",
        "family,plant_key,unit_key,valid_from,source_id,kind,name,status,capacity_tpa,last_relining",
        "SELECT p.family, p.plant_key, u.unit_key, u.valid_from, u.source_id, u.kind, u.name, u.status, CAST(u.capacity_tpa AS TEXT), \
         u.last_relining FROM plant_unit u JOIN plant p ON p.id = u.plant_id ORDER BY u.unit_key",
    ),
    (
        "projects.csv",
        "project_key,valid_from,valid_to,source_id,name,sector,technology,country,country_text,site,companies,partners,stage,stage_raw,capacity_value,capacity_unit,announced,fid,start_date,investment_value,investment_currency,gem_plant_id,parent_programme,notes",
        "SELECT p.project_key, s.valid_from, s.valid_to, s.source_id, s.name, s.sector, s.technology, s.country, s.country_text, s.site, \
         s.companies, s.partners, s.stage, s.stage_raw, CAST(s.capacity_value AS TEXT), s.capacity_unit, s.announced, s.fid, \
         s.start_date, CAST(s.investment_value AS TEXT), s.investment_currency, s.gem_plant_id, s.parent_programme, s.notes \
         FROM project p JOIN project_state s ON s.project_id = p.id ORDER BY p.project_key, s.valid_from",
    ),
    (
        "members.csv",
        "name,kind,country,joined,known_from,left_on,source_id,notes",
        "SELECT name, kind, country, joined, known_from, left_on, source_id, notes FROM member ORDER BY name",
    ),
    (
        "pledges.csv",
        "member,target_year,metric,scope,milestone_2030,status,verified,stated,source_id,notes",
        "SELECT m.name, CAST(p.target_year AS TEXT), p.metric, p.scope, p.milestone_2030, p.status, CAST(p.verified AS TEXT), p.stated, \
         p.source_id, p.notes FROM pledge p JOIN member m ON m.id = p.member_id ORDER BY m.name, p.metric, p.scope",
    ),
    (
        "partnerships.csv",
        "name,kind,started,venue,parent,description,source_id",
        "SELECT name, kind, started, venue, parent, description, source_id FROM partnership ORDER BY name",
    ),
    (
        "partnership_parties.csv",
        "partnership,party,country",
        "SELECT p.name, q.party, q.country FROM partnership_party q JOIN partnership p ON p.id = q.partnership_id ORDER BY p.name, q.party",
    ),
    (
        "changes.csv",
        "entity,entity_key,entity_label,field,old_value,new_value,valid_from,recorded_at,recorded_by,note,reason,source_url,approved_by",
        "SELECT entity, entity_key, entity_label, field, old_value, new_value, valid_from, recorded_at, recorded_by, note, \
         reason, source_url, approved_by \
         FROM change_log ORDER BY id",
    ),
];

impl Store {
    /// Writes every table to `dir` (created if missing) and returns the files written.
    pub async fn export(&self, dir: &Path) -> Result<Vec<(PathBuf, usize)>> {
        std::fs::create_dir_all(dir).map_err(|err| StoreError::Input(decarb_data::Error::io(dir, err)))?;
        let mut written = Vec::new();
        for (name, header, query) in EXPORTS {
            let rows = sqlx::query(*query).fetch_all(&self.pool).await.map_err(StoreError::Database)?;
            let path = dir.join(name);
            let io = |err: std::io::Error| StoreError::Input(decarb_data::Error::io(&path, err));
            let mut writer = csv::Writer::from_path(&path).map_err(|err| io(err.into()))?;
            writer.write_record(header.split(',')).map_err(|err| io(err.into()))?;
            for row in &rows {
                let mut record = Vec::with_capacity(row.len());
                for i in 0..row.len() {
                    let value: Option<String> = row.try_get(i).map_err(StoreError::Database)?;
                    record.push(value.unwrap_or_default());
                }
                writer.write_record(&record).map_err(|err| io(err.into()))?;
            }
            writer.flush().map_err(io)?;
            written.push((path, rows.len()));
        }
        Ok(written)
    }
}
