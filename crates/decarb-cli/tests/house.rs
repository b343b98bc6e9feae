//! The shape of the house: every workspace crate depends only on crates in lower layers of
//! ARCHITECTURE.md's layer table (read from the file, so the document and this test cannot drift
//! apart), and every crate is in the table.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `layer N: crate crate ...` lines of ARCHITECTURE.md's ```text block.
fn layers() -> BTreeMap<String, u32> {
    let text = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("layer ") else { continue };
        let (number, crates) = rest.split_once(':').expect("`layer N: crates`");
        let number: u32 = number.trim().parse().expect("a layer number");
        for name in crates.split_whitespace() {
            assert!(out.insert(name.to_owned(), number).is_none(), "{name} is in two layers");
        }
    }
    assert!(!out.is_empty(), "ARCHITECTURE.md has no layer table");
    out
}

/// A dependency and its kind as cargo names it (`None` for normal, `dev`, `build`).
type Dependency = (String, Option<String>);

/// (crate, its dependencies) for every workspace member.
fn workspace_dependencies() -> Vec<(String, Vec<Dependency>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(workspace())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    packages
        .iter()
        .map(|package| {
            let name = package["name"].as_str().expect("name").to_owned();
            let deps = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|dep| {
                    (dep["name"].as_str().expect("name").to_owned(), dep["kind"].as_str().map(str::to_owned))
                })
                .collect();
            (name, deps)
        })
        .collect()
}

#[test]
fn no_crate_depends_on_one_beside_or_above_it() {
    let layers = layers();
    let members = workspace_dependencies();
    let mut broken = Vec::new();
    for (name, deps) in &members {
        let Some(&own) = layers.get(name) else {
            broken.push(format!("{name} is not in ARCHITECTURE.md's layer table"));
            continue;
        };
        for (dep, kind) in deps {
            let Some(&theirs) = layers.get(dep) else { continue };
            if kind.as_deref() != Some("dev") && theirs >= own {
                broken.push(format!("{name} (layer {own}) depends on {dep} (layer {theirs})"));
            }
        }
    }
    for name in layers.keys() {
        assert!(members.iter().any(|(m, _)| m == name), "ARCHITECTURE.md lists {name}, which is not a crate");
    }
    assert!(broken.is_empty(), "the house is out of shape:\n{}", broken.join("\n"));
    // The table is not vacuous: the binary sits on top and the vocabulary at the bottom.
    assert_eq!(layers["decarb-model"], 0);
    assert_eq!(layers["decarb-cli"], *layers.values().max().unwrap_or(&0));
}
