//! Response compression (issue 17: the map page under 500 kB): text answers of 1 kB or more are
//! sent gzip- or brotli-compressed to clients that accept it, and decompress to the very bytes
//! sent uncompressed; small answers, binary types and byte ranges are not compressed on the way
//! out; headers such as `ETag` and `Content-Disposition` are kept; the npm files come
//! precompressed.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use common::{runtime, state, tracker_db, workspace};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

struct Sent {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

async fn fetch(app: &Router, uri: &str, extra: &[(&str, &str)]) -> Sent {
    let mut request = Request::get(uri);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Sent { status, headers, body }
}

fn header_of(sent: &Sent, name: header::HeaderName) -> Option<&str> {
    sent.headers.get(name).map(|v| v.to_str().unwrap())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// A large page with an ETag, a large PNG and a small text answer, to see what is compressed.
fn extra_routes() -> Router<decarb_server::AppState> {
    let etagged = || async {
        let mut response = "x, ".repeat(2000).into_response();
        response.headers_mut().insert(header::ETAG, "\"7\"".parse().unwrap());
        response
    };
    let png = || async { ([(header::CONTENT_TYPE, "image/png")], vec![7u8; 4000]) };
    Router::new()
        .route("/test/etagged", axum::routing::get(etagged))
        .route("/test/image", axum::routing::get(png))
        .route("/test/small", axum::routing::get(|| async { "small" }))
}

#[test]
fn text_answers_are_compressed_for_clients_that_accept_it_and_nothing_else_changes() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app_with(state(db).await, extra_routes());
        // A plant page and its CSV download: the same bytes, gzip- or brotli-encoded, Vary set.
        for uri in ["/plants/P100000120845", "/plants/P100000120845.csv", "/api/v1/plants?limit=50"] {
            let plain = fetch(&app, uri, &[]).await;
            assert_eq!(plain.status, StatusCode::OK, "{uri}");
            assert_eq!(
                header_of(&plain, header::CONTENT_ENCODING),
                None,
                "{uri}: no Accept-Encoding, no encoding"
            );
            let gzip = fetch(&app, uri, &[("accept-encoding", "gzip")]).await;
            assert_eq!(header_of(&gzip, header::CONTENT_ENCODING), Some("gzip"), "{uri}");
            assert_eq!(header_of(&gzip, header::VARY), Some("accept-encoding"), "{uri}");
            assert_eq!(
                header_of(&gzip, header::CONTENT_TYPE),
                header_of(&plain, header::CONTENT_TYPE),
                "{uri}"
            );
            assert_eq!(
                header_of(&gzip, header::CONTENT_DISPOSITION),
                header_of(&plain, header::CONTENT_DISPOSITION),
                "{uri}"
            );
            assert_eq!(gunzip(&gzip.body), plain.body, "{uri}: gzip decompresses to the plain answer");
            assert!(
                gzip.body.len() * 3 < plain.body.len(),
                "{uri}: {} -> {} bytes",
                plain.body.len(),
                gzip.body.len()
            );
            let br = fetch(&app, uri, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
            assert_eq!(header_of(&br, header::CONTENT_ENCODING), Some("br"), "{uri}: brotli preferred");
            assert!(br.body.len() * 3 < plain.body.len(), "{uri}: brotli {} bytes", br.body.len());
        }
        // The ETag of a compressed answer is the handler's, unchanged (writes send it back in If-Match).
        let tagged = fetch(&app, "/test/etagged", &[("accept-encoding", "gzip")]).await;
        assert_eq!(header_of(&tagged, header::CONTENT_ENCODING), Some("gzip"));
        assert_eq!(header_of(&tagged, header::ETAG), Some("\"7\""));
        // Small answers and binary types go as they are.
        let small = fetch(&app, "/test/small", &[("accept-encoding", "gzip, br")]).await;
        assert_eq!(
            (header_of(&small, header::CONTENT_ENCODING), small.body.as_slice()),
            (None, &b"small"[..])
        );
        let image = fetch(&app, "/test/image", &[("accept-encoding", "gzip, br")]).await;
        assert_eq!((header_of(&image, header::CONTENT_ENCODING), image.body.len()), (None, 4000));
        // Problem documents of the API are still read and rewritten inside the compression.
        let missing = fetch(&app, "/api/v1/nope", &[("accept-encoding", "gzip")]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(header_of(&missing, header::CONTENT_TYPE), Some("application/problem+json"));
    });
}

#[test]
fn the_map_pages_npm_files_come_precompressed_and_ranges_stay_plain() {
    let nm = workspace().join("dashboard/node_modules");
    if !nm.join("maplibre-gl/dist/maplibre-gl.mjs.br").is_file() {
        decarb_data::shared::skip(
            "dashboard/node_modules has no precompressed files (run `npm ci` in dashboard/)",
        );
        return;
    }
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let mut app_state = state(db).await;
        let mut config = (*app_state.config).clone();
        config.node_modules = nm.clone();
        app_state.config = std::sync::Arc::new(config);
        let app = decarb_server::app(app_state);
        let uri = "/vendor/maplibre-gl/dist/maplibre-gl.mjs";
        let br = fetch(&app, uri, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
        assert_eq!(br.status, StatusCode::OK);
        assert_eq!(header_of(&br, header::CONTENT_ENCODING), Some("br"));
        let on_disk = std::fs::read(nm.join("maplibre-gl/dist/maplibre-gl.mjs.br")).unwrap();
        assert_eq!(br.body, on_disk, "the file written at install, not compressed again");
        assert!(br.body.len() < 300_000, "MapLibre GL JS, brotli: {} bytes", br.body.len());
        let gzip = fetch(&app, uri, &[("accept-encoding", "gzip")]).await;
        let plain = std::fs::read(nm.join("maplibre-gl/dist/maplibre-gl.mjs")).unwrap();
        assert_eq!(gunzip(&gzip.body), plain);
        // A byte range is never compressed on the way out: without an accepted encoding it is the
        // file's own bytes; with one, bytes of the stored gzip copy, so labelled (RFC 9110: a
        // range is of the representation sent).
        let range = fetch(&app, uri, &[("accept-encoding", "identity"), ("range", "bytes=0-99")]).await;
        assert_eq!(range.status, StatusCode::PARTIAL_CONTENT);
        assert_eq!(header_of(&range, header::CONTENT_ENCODING), None);
        assert_eq!(range.body, plain[..100].to_vec());
        let gz_range = fetch(&app, uri, &[("accept-encoding", "gzip"), ("range", "bytes=0-99")]).await;
        assert_eq!(gz_range.status, StatusCode::PARTIAL_CONTENT);
        assert_eq!(header_of(&gz_range, header::CONTENT_ENCODING), Some("gzip"));
        let stored = std::fs::read(nm.join("maplibre-gl/dist/maplibre-gl.mjs.gz")).unwrap();
        assert_eq!(gz_range.body, stored[..100].to_vec());
    });
}
