//! The shape of the house: every workspace crate depends only on crates in lower layers of
//! ARCHITECTURE.md's layer table (read from the file, so the document and this test cannot drift
//! apart), and every crate is in the table. The binary is glue: no file of `decarb-cli/src` is
//! over 300 lines, and no command module imports another (what two commands share lives in a
//! library, or in a module of the binary outside `commands/`).

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

/// The most lines a file of the binary may have.
const MAX_LINES: usize = 300;

fn cli_src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as paths relative to `crates/decarb-cli/src` with `/`.
fn rust_files(dir: &std::path::Path, out: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("a source folder").map(|e| e.expect("an entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(cli_src()).expect("under src");
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The command modules: every file and folder in `commands/` but `mod.rs`.
fn command_modules() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cli_src().join("commands"))
        .expect("commands/")
        .map(|e| e.expect("an entry").path())
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|name| name != "mod")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The first identifier of each item a path reaches after `prefix` ends at `at`: `run` for
/// `run::tables`, `run` and `UserError` for `{run::tables, UserError}`.
fn items_after(text: &str, at: usize) -> Vec<String> {
    let rest = &text[at..];
    let group = if let Some(inner) = rest.strip_prefix('{') {
        inner.split('}').next().unwrap_or("")
    } else {
        rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")
    };
    group
        .split(',')
        .map(|item| {
            item.trim().split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("").to_owned()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The command modules a file of `commands/` names through `crate::commands::` or through
/// `super::` chains that reach `commands`, other than its own.
fn commands_named(file: &str, text: &str, commands: &[String]) -> Vec<String> {
    let parts: Vec<&str> = file.trim_end_matches(".rs").split('/').collect();
    // commands/x.rs is the module commands::x: one `super::` reaches `commands`.
    let own = parts.get(1).copied().unwrap_or("");
    let supers_to_commands = parts.len() - 1;
    let to_commands = "super::".repeat(supers_to_commands);
    let mut named = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for prefix in ["crate::commands::", to_commands.as_str()] {
            for (at, _) in line.match_indices(prefix) {
                // `super::super::x` is not `super::x` of a shallower file.
                if prefix.starts_with("super") && line[..at].ends_with("super::") {
                    continue;
                }
                named.extend(
                    items_after(line, at + prefix.len())
                        .into_iter()
                        .filter(|name| name != own && commands.contains(name)),
                );
            }
        }
    }
    named.sort();
    named.dedup();
    named
}

#[test]
fn the_binary_is_glue_no_file_is_over_300_lines() {
    let mut files = Vec::new();
    rust_files(&cli_src(), &mut files);
    assert!(files.len() > 20, "{files:?}");
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(cli_src().join(f)).expect("a source file").lines().count();
            (lines > MAX_LINES).then(|| format!("{f}: {lines} lines"))
        })
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines (move logic into a library): {long:?}");
}

#[test]
fn no_command_module_imports_another() {
    let commands = command_modules();
    assert!(
        commands.contains(&"run".to_owned()) && commands.contains(&"validate".to_owned()),
        "{commands:?}"
    );
    let mut files = Vec::new();
    rust_files(&cli_src().join("commands"), &mut files);
    let crossing: Vec<String> = files
        .iter()
        .filter(|f| f.as_str() != "commands/mod.rs")
        .filter_map(|f| {
            let named = commands_named(
                f,
                &std::fs::read_to_string(cli_src().join(f)).expect("a source file"),
                &commands,
            );
            (!named.is_empty()).then(|| format!("{f} imports {named:?}"))
        })
        .collect();
    assert!(crossing.is_empty(), "command modules importing other command modules: {crossing:?}");
}

/// The import check sees the forms commands use: a path, a group, and `super::` chains.
#[test]
fn the_import_check_sees_paths_groups_and_super_chains() {
    let commands = vec!["db".to_owned(), "ensemble".to_owned(), "run".to_owned()];
    let check = |file: &str, text: &str| commands_named(file, text, &commands);
    assert_eq!(check("commands/diff.rs", "use super::run::tables;"), ["run"]);
    assert_eq!(check("commands/diff.rs", "use crate::commands::{UserError, ensemble::pool};"), ["ensemble"]);
    assert_eq!(check("commands/diff.rs", "use super::UserError;"), Vec::<String>::new());
    // In commands/run/x.rs, `super::` is run itself; `super::super::db` is another command.
    assert_eq!(check("commands/run/x.rs", "use super::manifest;"), Vec::<String>::new());
    assert_eq!(check("commands/run/x.rs", "super::super::db::open()"), ["db"]);
    assert_eq!(check("commands/run/x.rs", "crate::commands::run::charts"), Vec::<String>::new());
    // Comments do not count.
    assert_eq!(check("commands/diff.rs", "/// like super::run::tables"), Vec::<String>::new());
}
