//! The map of plants. `/map` is the zoomable map (assets/map.js over MapLibre GL JS, its sites
//! from `/map/plants.geojson`) when its npm packages are installed; `/map/static` is the
//! server-rendered SVG map, every plant with coordinates sized by capacity and coloured by route
//! or status (decarb_chart's palette), country outlines drawn by assets/app.js when installed:
//! what readers without JavaScript (or WebGL) follow a link to, and what `/map` shows itself
//! when MapLibre is not installed. The SVG map is not sent with the zoomable one: it holds every
//! plant (640 kB), which would be most of the map page's weight for a map its readers never see.

use super::page::{error_page, layout};
use crate::AppState;
use crate::problem::ApiError;
use crate::queries::{self, PlantItem, PlantQuery};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, num_cell};
use decarb_model::Sector;
use maud::{Markup, PreEscaped, html};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// Equirectangular projection onto a 960 x 480 canvas (the JS draws outlines with the same).
fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon + 180.0) / 360.0 * 960.0, (90.0 - lat) / 180.0 * 480.0)
}

/// `GET /map`: the zoomable map, or the SVG map when MapLibre is not installed.
pub async fn map(State(state): State<AppState>, Query(params): Query<BTreeMap<String, String>>) -> Response {
    let live = super::maplibre_available(&state) && super::vendor_available(&state);
    let body = if live { interactive_map(&state).await } else { body(&state, &params).await };
    match body {
        Ok(body) => layout("Map of plants", "/map", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

/// `GET /map/static`: the SVG map (`?sector=`, `?color=route|status`).
pub async fn static_map(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    match body(&state, &params).await {
        Ok(body) => layout("Map of plants", "/map", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn body(state: &AppState, params: &BTreeMap<String, String>) -> Result<Markup, ApiError> {
    let sector: Option<Sector> = crate::api::parse_opt(
        "sector",
        params.get("sector").map(String::as_str),
        "steel, cement, aluminium or ammonia",
    )?;
    let by_status = params.get("color").is_some_and(|c| c == "status");
    let query = PlantQuery { sector, ..PlantQuery::default() };
    let page = queries::plant_page(&state.store, &query, i64::MAX, 0).await?;
    let located: Vec<(&PlantItem, f64, f64)> =
        page.items.iter().filter_map(|p| Some((p, p.latitude?, p.longitude?))).collect();
    let vendor = super::vendor_available(state);
    Ok(html! {
        div #static-map {
            form.filters method="get" {
                label { "Sector " select name="sector" {
                    option value="" { "all" } (view::options(Sector::ALL.iter().map(|s| s.as_str()), sector.map(Sector::as_str)))
                } } " "
                label { "Colour by " select name="color" {
                    option value="route" selected[!by_status] { "route" }
                    option value="status" selected[by_status] { "status" }
                } } " "
                button { "Show" }
            }
            p.stats {
                span { (num_cell(located.len() as f64, 0, Some("map-points"))) " plants with coordinates" } " "
                span { "of " (num_cell(page.total as f64, 0, Some("map-total"))) " listed" }
            }
            @if !vendor {
                p.notice #outline-notice {
                    "Country outlines are not installed (run " code { "npm ci" } " in " code { "dashboard/" } "); \
                     the map shows the plants only."
                }
            }
            (plant_map(&located, by_status, vendor))
        }
    })
}

/// The zoomable map (assets/map.js over MapLibre GL JS): its filters and its canvas. Without
/// JavaScript nothing of it shows and the page links to the SVG map. The filters list the
/// countries and routes of the located plants (the sites themselves come from
/// `/map/plants.geojson`).
async fn interactive_map(state: &AppState) -> Result<Markup, ApiError> {
    let fleet = state.store.load_fleet(None).await?;
    let (mut countries, mut routes) = (BTreeSet::new(), BTreeSet::new());
    for p in fleet.plants.iter().filter(|p| p.coordinates.is_some()) {
        countries.extend(p.country);
        routes.insert(p.route.as_str());
    }
    Ok(html! {
        link rel="stylesheet" href="/vendor/maplibre-gl/dist/maplibre-gl.css";
        noscript { p.notice { "The zoomable map needs JavaScript: " a href="/map/static" { "the static map" } " shows every located plant without it." } }
        div #interactive-map.live-map hidden data-points="/map/plants.geojson" data-static="/map/static" {
            form #map-filters.filters {
                label { "Sector " select name="sector" {
                    option value="" { "all" } (view::options(Sector::ALL.iter().map(|s| s.as_str()), None))
                } } " "
                fieldset.statuses {
                    legend { "Status" }
                    @for status in decarb_model::PlantStatus::ALL {
                        label { input type="checkbox" name="status" value=(status.as_str()) checked[status.is_operating()]; " " (status.as_str()) } " "
                    }
                }
                label { "Country " select name="country" {
                    option value="" { "all" }
                    @for code in &countries {
                        option value=(code.as_str()) { (code.name()) }
                    }
                } } " "
                label { "Route " select name="route" {
                    option value="" { "all" } (view::options(routes.iter().copied(), None))
                } } " "
                label { "Owner " input type="search" name="owner" placeholder="name or part of it"; } " "
                label.capacity { "Capacity, Mt/yr " input type="number" name="min_mt" min="0" step="0.1" placeholder="from" size="5";
                    " to " input type="number" name="max_mt" min="0" step="0.1" placeholder="to" size="5"; } " "
                label { "Colour by " select name="colour" {
                    option value="route" selected { "route" }
                    option value="status" { "status" }
                } }
            }
            p #map-count.stats { "Loading the map..." }
            div #map-legend {}
            div.canvas role="region" aria-label="Zoomable map of plants" {}
        }
        script type="module" src="/assets/map.js" {}
    })
}

fn plant_map(located: &[(&PlantItem, f64, f64)], by_status: bool, vendor: bool) -> Markup {
    let key = |p: &PlantItem| if by_status { p.status.clone() } else { p.route.clone() };
    let categories: Vec<String> =
        located.iter().map(|(p, _, _)| key(p)).collect::<BTreeSet<_>>().into_iter().collect();
    let max_cap = located.iter().filter_map(|(p, _, _)| p.capacity_tpa).fold(1.0f64, f64::max);
    let columns =
        ["id", "name", "country", "sector", "status", "route", "capacity_tpa", "latitude", "longitude"];
    let data = Dataset {
        columns: columns.iter().map(|s| (*s).to_owned()).collect(),
        rows: located
            .iter()
            .map(|(p, lat, lon)| {
                let row = [json!(p.id), json!(p.name), json!(p.country), json!(p.sector), json!(p.status)];
                row.into_iter()
                    .chain([json!(p.route), json!(p.capacity_tpa), json!(lat), json!(lon)])
                    .collect()
            })
            .collect(),
    };
    let json_data = decarb_chart::svg::script_json(&data);
    html! {
        figure.chart.map #plant-map data-name="plants" {
            figcaption {
                span.title { "Plants, sized by capacity, coloured by " (if by_status { "status" } else { "route" }) } " "
                button.csv type="button" data-for="plant-map" { "CSV" }
            }
            script.chart-data type="application/json" { (PreEscaped(json_data)) }
            svg viewBox="0 0 960 480" role="img" aria-label="Map of plants" data-vendor=(u8::from(vendor)) {
                rect.sea width="960" height="480" {}
                g #outlines {}
                @for (i, category) in categories.iter().enumerate() {
                    g.series data-series=(i) {
                        @for (p, lat, lon) in located.iter().filter(|(p, _, _)| &key(p) == category) {
                            @let (x, y) = project(*lon, *lat);
                            @let r = 1.5 + 6.0 * (p.capacity_tpa.unwrap_or(0.0) / max_cap).sqrt();
                            @let label = format!("{} ({}, {})", p.name, p.country.as_deref().unwrap_or("?"), category);
                            // Each point links to the plant's page; an unknown capacity has
                            // an empty value (the tooltip says "unknown"), drawn at the smallest size.
                            a href=(super::page::plant_href(&p.id)) {
                                circle.point cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}"))
                                    fill=(decarb_chart::colour_for(category).hex()) data-label=(label)
                                    data-value=(p.capacity_tpa.map(|c| c.to_string()).unwrap_or_default()) data-unit="t/yr" { title { (label) } }
                            }
                        }
                    }
                }
            }
            div.legend {
                @for (i, c) in categories.iter().enumerate() {
                    button.legend-item type="button" data-series=(i) aria-pressed="true" {
                        span.swatch style={ "background:" (decarb_chart::colour_for(c).hex()) } {} (c)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_puts_the_corners_at_the_corners() {
        assert_eq!(project(-180.0, 90.0), (0.0, 0.0));
        assert_eq!(project(180.0, -90.0), (960.0, 480.0));
        assert_eq!(project(0.0, 0.0), (480.0, 240.0));
    }
}
