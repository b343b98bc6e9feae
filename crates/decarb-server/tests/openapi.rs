//! The OpenAPI document is well formed (OpenAPI 3.1 structure, every reference resolves, every
//! path parameter declared), and every operation in it answers as documented: a walker builds a
//! request from the document's own examples and checks the status code and content type
//! against the operation's documented responses, and the JSON body against the documented
//! schema (types, required properties, items).

// Test counts are small and non-negative; JSON hands them over as u64/i64.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::{get, runtime, send, state, tracker_db};
use serde_json::Value;
use std::collections::BTreeSet;

fn document() -> Value {
    serde_json::to_value(decarb_server::openapi()).unwrap()
}

fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap_or_default().to_owned());
                } else {
                    refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[test]
fn the_document_is_valid_openapi_3_1() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "decarb API");
    assert!(doc["info"]["version"].is_string());
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    assert!(!all_refs.is_empty());
    for r in &all_refs {
        assert!(resolve(&doc, r).is_some(), "unresolved reference {r}");
    }
    let mut operation_ids = BTreeSet::new();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 14, "{} paths", paths.len());
    // The writes of issue 16 are documented: analyses and corrections to plants among them.
    for (path, method) in [
        ("/analyses", "post"),
        ("/analyses/{slug}", "get"),
        ("/analyses/{slug}", "patch"),
        ("/plants/{id}", "patch"),
        ("/retire/{kind}/{key}", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|item| item.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    for (path, item) in paths {
        assert!(path.starts_with('/'), "{path}");
        let template: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(operation_ids.insert(id.to_owned()), "duplicate operationId {id}");
            let responses =
                op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}: no responses"));
            assert!(!responses.is_empty());
            for (code, response) in responses {
                assert!(code.len() == 3 && code.parse::<u16>().is_ok(), "{method} {path}: status {code}");
                assert!(response["description"].is_string(), "{method} {path} {code}: no description");
            }
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, template, "{method} {path}: path parameters");
            for p in op["parameters"].as_array().into_iter().flatten() {
                assert!(["query", "path", "header", "cookie"].contains(&p["in"].as_str().unwrap()));
                assert!(p["schema"].is_object(), "{method} {path}: parameter {} has no schema", p["name"]);
            }
        }
    }
}

/// The example value of a parameter, as URL text.
fn example_text(p: &Value) -> Option<String> {
    let example = p.get("example").or_else(|| p["schema"].get("example"))?;
    Some(match example {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~,".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn every_documented_operation_answers_as_documented() {
    let Some(db) = tracker_db() else { return };
    let doc = document();
    runtime().block_on(async {
        let app = decarb_server::app(state(db).await);
        // The document served is the one generated.
        let served = get(&app, "/api/openapi.json").await;
        assert_eq!(served.content_type, "application/json");
        assert_eq!(served.json(), doc);
        let mut walked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let mut uri = format!("/api/v1{path}");
                let mut query = Vec::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap();
                    let value = example_text(p);
                    match p["in"].as_str().unwrap() {
                        "path" => {
                            let value = value.unwrap_or_else(|| {
                                panic!("{method} {path}: path parameter {name} has no example")
                            });
                            uri = uri.replace(&format!("{{{name}}}"), &encode(&value));
                        }
                        "query" => {
                            if let Some(value) = value {
                                query.push(format!("{name}={}", encode(&value)));
                            }
                        }
                        _ => {}
                    }
                }
                if !query.is_empty() {
                    uri = format!("{uri}?{}", query.join("&"));
                }
                let mut request = Request::builder()
                    .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
                    .uri(&uri);
                // The first media type with an example (else the first), as a client following the document would send.
                let contents = op["requestBody"]["content"].as_object();
                let chosen = contents.and_then(|c| {
                    c.iter()
                        .find(|(_, m)| m.get("example").is_some() || m["schema"].get("example").is_some())
                        .or_else(|| c.iter().next())
                });
                let body = match chosen {
                    Some((content_type, media)) => {
                        request = request.header("content-type", content_type);
                        let example =
                            media.get("example").or_else(|| media["schema"].get("example")).or_else(|| {
                                media["schema"]["$ref"]
                                    .as_str()
                                    .and_then(|r| resolve(&doc, r))
                                    .and_then(|s| s.get("example"))
                            });
                        match example {
                            Some(Value::String(s)) => Body::from(s.clone()),
                            Some(other) => Body::from(other.to_string()),
                            None => Body::empty(),
                        }
                    }
                    None => Body::empty(),
                };
                let answer = send(&app, request.body(body).unwrap()).await;
                let code = answer.status.as_u16().to_string();
                let documented = &op["responses"][&code];
                assert!(
                    documented.is_object(),
                    "{method} {uri}: status {code} is not documented: {}",
                    answer.text()
                );
                let content_types: Vec<&String> =
                    documented["content"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
                if content_types.is_empty() {
                    assert!(answer.body.is_empty(), "{method} {uri}: undocumented body");
                } else {
                    let actual = answer.content_type.split(';').next().unwrap().trim();
                    assert!(
                        content_types.iter().any(|c| c.as_str() == actual),
                        "{method} {uri}: content type {actual} not in {content_types:?}"
                    );
                }
                if actual_is_json(&answer.content_type) {
                    let body = answer.json();
                    let actual = answer.content_type.split(';').next().unwrap().trim();
                    if let Some(schema) = documented["content"][actual].get("schema") {
                        conforms(&doc, schema, &body, &format!("{method} {uri}"));
                    }
                }
                eprintln!(
                    "{method} {uri} -> {code} {}",
                    if answer.status.is_success() { String::new() } else { answer.text() }
                );
                walked += 1;
            }
        }
        assert!(walked >= 16, "walked {walked} operations");
    });
}

fn actual_is_json(content_type: &str) -> bool {
    content_type.contains("json")
}

/// Checks `value` against the parts of a JSON schema the document uses: `$ref`, `type`,
/// `required`, `properties`, `items`, `oneOf`/`anyOf` (any branch), nullable type lists.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, r).unwrap_or_else(|| panic!("{at}: unresolved {r}")),
        None => schema,
    };
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let ok =
                branches.iter().any(|b| std::panic::catch_unwind(|| conforms(doc, b, value, at)).is_ok());
            assert!(ok, "{at}: {value} matches no branch of {key}");
            return;
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        assert!(ok, "{at}: {value} is {actual}, documented {types:?}");
    }
    if let (Some(required), Some(object)) =
        (schema.get("required").and_then(Value::as_array), value.as_object())
    {
        for key in required {
            assert!(object.contains_key(key.as_str().unwrap()), "{at}: required {key} missing");
        }
    }
    if let (Some(properties), Some(object)) =
        (schema.get("properties").and_then(Value::as_object), value.as_object())
    {
        for (key, sub) in properties {
            if let Some(v) = object.get(key) {
                conforms(doc, sub, v, &format!("{at}.{key}"));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for v in array.iter().take(5) {
            conforms(doc, items, v, &format!("{at}[]"));
        }
    }
}

#[test]
fn the_schema_check_catches_bodies_that_differ_from_the_document() {
    let doc = document();
    let page = serde_json::json!({"$ref": "#/components/schemas/PlantPage"});
    let good = serde_json::json!({"total": 1, "limit": 1, "offset": 0, "items": [{
        "id": "f/k", "name": "n", "sector": "steel", "country": null, "country_text": "", "status": "operating",
        "route": "eaf", "capacity_tpa": 1.0, "start": null, "latitude": null, "longitude": null, "source": "s"}]});
    conforms(&doc, &page, &good, "good");
    let mut missing = good.clone();
    missing["items"][0].as_object_mut().unwrap().remove("name");
    let mut wrong_type = good.clone();
    wrong_type["total"] = serde_json::json!("one");
    for bad in [missing, wrong_type] {
        let result = std::panic::catch_unwind(|| conforms(&doc, &page, &bad, "bad"));
        assert!(result.is_err(), "{bad} passed the schema check");
    }
}
