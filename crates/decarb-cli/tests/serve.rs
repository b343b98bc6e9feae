//! `decarb serve` end to end: the binary starts on a free port, answers over real HTTP, and a
//! malformed scenario POSTed to it gets a 422 whose detail is exactly what `decarb run` prints
//! for the same file. `decarb token` creates, lists and revokes a token the server honours.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

const DECARB: &str = env!("CARGO_BIN_EXE_decarb");

struct Server {
    child: Child,
    addr: String,
    /// Lines the server wrote to stderr after it started listening (the request log).
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = Command::new(DECARB)
        .args(["serve", "--db", "t.db", "--addr", "127.0.0.1:0"])
        .args(extra)
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("decarb serve exited before listening").unwrap();
        if let Some(rest) = line.strip_prefix("decarb serving on http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep reading the request log so the server never blocks on a full pipe.
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Server { child, addr, log }
}

/// One HTTP/1.1 request; returns status, content type and body.
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        let _ = write!(request, "{k}: {v}\r\n");
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type: ").map(str::to_owned))
        .unwrap_or_default();
    (status, content_type, body.to_owned())
}

#[test]
fn serve_answers_and_a_bad_scenario_gets_the_clis_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "name = \"x\"\nprice_set = \"mpp-shared-2022\"\ndemand = \"bau\"\n\n[carbon_price]\npath = \"zero\"\nsclae = 2.0\n";
    std::fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let cli = Command::new(DECARB).args(["run", "bad.toml"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(cli.status.code(), Some(2));
    let stderr = String::from_utf8(cli.stderr).unwrap();
    let cli_message = stderr.trim().strip_prefix("error: ").unwrap().to_owned();
    assert!(cli_message.contains("line 7"), "{cli_message}");

    let init =
        Command::new(DECARB).args(["db", "init", "--db", "t.db"]).current_dir(dir.path()).output().unwrap();
    assert!(init.status.success());
    let server = start(dir.path(), &[]);
    let (status, content_type, body) = http(
        &server.addr,
        "POST",
        "/api/v1/scenarios?origin=bad.toml",
        &[("Content-Type", "application/toml")],
        bad,
    );
    assert_eq!((status, content_type.as_str()), (422, "application/problem+json"));
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["detail"], cli_message);

    let (status, content_type, body) = http(&server.addr, "GET", "/api/v1/members", &[], "");
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let members: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(members.as_array().unwrap().len(), 34, "the bundled members table");
}

#[test]
fn tokens_made_by_the_cli_open_writes_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| Command::new(DECARB).args(args).current_dir(dir.path()).output().unwrap();
    assert!(run(&["db", "init", "--db", "t.db"]).status.success());
    let created = run(&["token", "create", "ci", "--db", "t.db"]);
    assert!(created.status.success());
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("decarb_"));
    let twice = run(&["token", "create", "ci", "--db", "t.db"]);
    assert_eq!(twice.status.code(), Some(2), "a second token of the same name is refused");
    let listed =
        String::from_utf8(run(&["token", "list", "--db", "t.db", "--format", "csv"]).stdout).unwrap();
    assert!(
        listed.starts_with(
            "name,prefix,created_at,created_by,revoked_at,role,expires_at,last_used_at,revoked_by\nci,decarb_"
        ),
        "{listed}"
    );
    assert!(!listed.contains(&token), "the list never shows the token");

    let server = start(dir.path(), &[]);
    let member = r#"{"name": "Probe Cement AG", "kind": "company", "country": "CHE", "source": {"citation": "Test fixture"}}"#;
    let bearer = format!("Bearer {token}");
    let json = ("Content-Type", "application/json");
    assert_eq!(http(&server.addr, "POST", "/api/v1/members", &[json], member).0, 401);
    assert_eq!(
        http(&server.addr, "POST", "/api/v1/members", &[json, ("Authorization", &bearer)], member).0,
        201
    );
    assert!(run(&["token", "revoke", "ci", "--db", "t.db"]).status.success());
    let again = r#"{"name": "Probe Two AG", "kind": "company", "source": {"citation": "Test fixture"}}"#;
    assert_eq!(
        http(&server.addr, "POST", "/api/v1/members", &[json, ("Authorization", &bearer)], again).0,
        401
    );
    assert_eq!(run(&["token", "revoke", "ci", "--db", "t.db"]).status.code(), Some(2));
}

#[test]
fn json_request_logs_name_method_path_status_and_latency() {
    let dir = tempfile::tempdir().unwrap();
    let init =
        Command::new(DECARB).args(["db", "init", "--db", "t.db"]).current_dir(dir.path()).output().unwrap();
    assert!(init.status.success());
    let server = start(dir.path(), &["--log-format", "json"]);
    assert_eq!(http(&server.addr, "GET", "/api/v1/plants?sector=coal", &[], "").0, 400);
    // The log line is written when the response is; give the reader thread a moment.
    let mut found = None;
    for _ in 0..100 {
        found = server.log.lock().unwrap().iter().find(|l| l.contains("sector=coal")).cloned();
        if found.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let line = found.expect("no request log line");
    let record: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(record["level"], "INFO");
    assert_eq!(record["fields"]["status"], 400, "{line}");
    assert!(record["fields"]["latency"].is_string(), "{line}");
    assert_eq!(record["span"]["method"], "GET", "{line}");
    assert_eq!(record["span"]["uri"], "/api/v1/plants?sector=coal", "{line}");
}
