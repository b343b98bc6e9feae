//! The interactive map's data: every stored plant with coordinates as one GeoJSON feature per site
//! (`GET /map/plants.geojson`). A GIST plant split by status (`P100000120845`,
//! `P100000120845~announced`, ...) is one site whose `phases` list each status with its route and
//! capacity, so the map draws one circle where the SVG map drew a stack. Colours come from the
//! shared palette (`decarb_chart`), so a route or status has the colour it has in every chart.

use crate::AppState;
use crate::problem::ApiError;
use axum::Json;
use axum::extract::State;
use decarb_model::{Fleet, Plant, PlantStatus, Reported};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `GET /map/plants.geojson`: the latest stored fleet as a GeoJSON FeatureCollection.
pub async fn plants_geojson(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let fleet = state.store.load_fleet(None).await?;
    Ok(Json(feature_collection(&fleet)))
}

/// One feature per site with coordinates, in key order; sites without coordinates are counted in
/// `unlocated`.
pub fn feature_collection(fleet: &Fleet) -> Value {
    let mut sites: BTreeMap<&str, Vec<&Plant>> = BTreeMap::new();
    for plant in &fleet.plants {
        sites.entry(decarb_store::plants::site_key(&plant.id)).or_default().push(plant);
    }
    let mut unlocated = 0usize;
    let mut features = Vec::new();
    for (key, phases) in &sites {
        let Some((latitude, longitude)) = phases.iter().find_map(|p| p.coordinates) else {
            unlocated += 1;
            continue;
        };
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round6(longitude), round6(latitude)]},
            "properties": site_properties(key, phases),
        }));
    }
    json!({
        "type": "FeatureCollection",
        "features": features,
        "unlocated": unlocated,
        "palette": palette(),
    })
}

fn site_properties(key: &str, phases: &[&Plant]) -> Value {
    // The main phase: the largest operating one, else the largest.
    let capacity = |p: &&Plant| p.capacity.value().map_or(0.0, decarb_model::units::TonnesPerYear::to_mt);
    let main = phases
        .iter()
        .filter(|p| p.status.is_operating())
        .max_by(|a, b| capacity(a).total_cmp(&capacity(b)))
        .or_else(|| phases.iter().max_by(|a, b| capacity(a).total_cmp(&capacity(b))))
        .copied();
    let Some(main) = main else { return json!({ "id": key }) };
    let phase_list: Vec<Value> = phases
        .iter()
        .map(|p| {
            json!({
                "status": p.status.as_str(),
                "route": p.route.as_str(),
                // Unknown capacity stays unknown (null), never 0.
                "capacity_mt": match p.capacity { Reported::Value(c) => Some(round6(c.to_mt())), _ => None },
            })
        })
        .collect();
    let names = |list: &[decarb_model::Ownership]| -> Vec<Value> {
        list.iter().map(|o| json!({"name": o.name, "share": o.share})).collect()
    };
    json!({
        "id": key,
        "name": main.name,
        "sector": main.sector.as_str(),
        "country": main.country.map(decarb_model::CountryCode::as_str),
        "country_name": main.country.map_or(main.country_text.as_str(), |c| c.name()),
        "status": main.status.as_str(),
        "route": main.route.as_str(),
        "start": main.start.map(|d| d.year),
        "owners": names(&main.owners),
        "parents": names(&main.parents),
        "phases": phase_list,
        // The site's GEM.wiki page (http or https only, as the importer keeps it), or null.
        "gem_wiki": phases.iter().find_map(|p| p.wiki_url.as_deref()).filter(|u| is_web_address(u)),
    })
}

/// The colours the map draws with, by route and by status (hex), from the shared palette.
fn palette() -> Value {
    let routes: BTreeMap<&str, String> =
        decarb_model::Route::ALL.iter().map(|r| (r.as_str(), decarb_chart::route(*r).hex())).collect();
    let statuses: BTreeMap<&str, String> =
        PlantStatus::ALL.iter().map(|s| (s.as_str(), decarb_chart::status(*s).hex())).collect();
    json!({"route": routes, "status": statuses})
}

/// An http or https address (what a popup may link to).
fn is_web_address(url: &str) -> bool {
    decarb_data::import::cells::web_address(url) == Some(url)
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::units::TonnesPerYear;
    use decarb_model::{CountryCode, Route, Sector};

    fn plant(id: &str, status: PlantStatus, route: Route, mt: Option<f64>) -> Plant {
        Plant {
            id: id.into(),
            source: "gem".into(),
            name: "SSAB Luleå steel plant".into(),
            sector: Sector::Steel,
            country: CountryCode::resolve("SWE"),
            country_text: "Sweden".into(),
            subnational: None,
            coordinates: Some((65.58, 22.15)),
            status,
            route,
            capacity: mt.map_or(Reported::Unknown, |v| Reported::Value(TonnesPerYear::from_mt(v))),
            start: None,
            last_investment: None,
            owners: vec![],
            parents: vec![],
            status_slice: true,
            process: None,
            wiki_url: None,
        }
    }

    #[test]
    fn status_slices_of_a_plant_are_one_site_with_its_phases() {
        let mut fleet = Fleet {
            plants: vec![
                plant("gem-steel/P1", PlantStatus::Operating, Route::DriEaf, Some(0.013)),
                plant("gem-steel/P1~announced", PlantStatus::Announced, Route::Eaf, Some(2.5)),
                plant(
                    "gem-steel/P1~operating-pre-retirement",
                    PlantStatus::OperatingPreRetirement,
                    Route::BfBof,
                    Some(2.3),
                ),
                plant("gem-steel/P2", PlantStatus::Operating, Route::Eaf, None),
            ],
        };
        // A slice's wiki page names the site's; an address that is not http(s) is never a link.
        fleet.plants[1].wiki_url = Some("https://www.gem.wiki/SSAB_Luleå_steel_plant".into());
        fleet.plants[3].wiki_url = Some("javascript:alert(1)".into());
        let geo = feature_collection(&fleet);
        let features = geo["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        let site = &features[0]["properties"];
        assert_eq!(site["id"], "gem-steel/P1");
        // The main phase is the largest operating one: the pre-retirement BF-BOF.
        assert_eq!(site["route"], "bf-bof");
        assert_eq!(site["phases"].as_array().unwrap().len(), 3);
        assert_eq!(features[0]["geometry"]["coordinates"], json!([22.15, 65.58]));
        // Unknown capacity is null, not 0.
        assert_eq!(features[1]["properties"]["phases"][0]["capacity_mt"], Value::Null);
        assert_eq!(site["gem_wiki"], "https://www.gem.wiki/SSAB_Luleå_steel_plant");
        assert_eq!(features[1]["properties"]["gem_wiki"], Value::Null);
        assert_eq!(geo["palette"]["route"]["eaf"], decarb_chart::route(Route::Eaf).hex());
    }
}
