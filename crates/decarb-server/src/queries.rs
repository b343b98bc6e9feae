//! The tracker store's plant views, as the API and the dashboard read them: the store owns the
//! SQL ([`decarb_store::views`]); this module adds only the server's page cache.

pub use decarb_store::views::{
    FleetGroup, GroupBy, PlantItem, PlantPage, PlantQuery, fleet_groups, plant_page, plant_page_json,
    store_version,
};
use decarb_store::{Store, StoreError};

/// Plant list pages as built by [`plant_page_json`], by (filters, limit, offset), each with the
/// [`store_version`] it was built at; at most [`crate::limits::PLANT_PAGE_CACHE`] pages (emptied
/// when full). A page is served from here only while the store's version is unchanged, also when
/// another process (`decarb db import`) wrote to the store.
#[derive(Debug, Default)]
pub struct PlantPageCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, ([i64; 3], axum::body::Bytes)>>,
}

impl PlantPageCache {
    /// The page's JSON: cached when the store has not changed since it was built, else built now.
    pub async fn page(
        &self,
        store: &Store,
        filter: &PlantQuery,
        limit: i64,
        offset: i64,
    ) -> Result<axum::body::Bytes, StoreError> {
        let version = store_version(store).await?;
        let key = format!("{filter:?}|{limit}|{offset}");
        let lock = || self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((v, page)) = lock().get(&key)
            && *v == version
        {
            return Ok(page.clone());
        }
        let page = axum::body::Bytes::from(plant_page_json(store, filter, limit, offset).await?);
        let mut pages = lock();
        if pages.len() >= crate::limits::PLANT_PAGE_CACHE {
            pages.clear();
        }
        pages.insert(key, (version, page.clone()));
        Ok(page)
    }
}
