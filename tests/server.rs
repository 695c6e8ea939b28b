//! `backlint server` end to end: the real binary over stdio, driven by a small LSP client.

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A running server and the messages it sent that the test has not read yet. Dropping it
/// fails the test if any message was left unread.
struct TestServer {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    unread: VecDeque<Value>,
    next_id: i64,
    root: PathBuf,
    closed: bool,
}

impl TestServer {
    /// Start `backlint server` in `root` and initialize it with `capabilities`, the workspace
    /// folders `folders` (relative to `root`) and no debounce.
    fn start(root: &Path, capabilities: Value, folders: &[&str]) -> TestServer {
        TestServer::start_with(root, capabilities, folders, json!({"debounceMs": 0, "history": false}))
    }

    fn start_with(root: &Path, capabilities: Value, folders: &[&str], options: Value) -> TestServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backlint"))
            .arg("server")
            .current_dir(root)
            .env("BACKLINT_NOW", "2026-06-01T00:00:00Z")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("backlint server starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let root = std::fs::canonicalize(root).expect("root");
        let mut server = TestServer {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            unread: VecDeque::new(),
            next_id: 0,
            root,
            closed: false,
        };
        let folders: Vec<Value> =
            folders.iter().map(|f| json!({"uri": server.uri(f).trim_end_matches('/'), "name": f})).collect();
        let result = server.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "workspaceFolders": folders,
                "initializationOptions": options,
            }),
        );
        assert!(result.get("capabilities").is_some(), "initialize failed: {result}");
        server.notify("initialized", json!({}));
        server
    }

    fn uri(&self, path: &str) -> String {
        let path = if path.is_empty() { self.root.clone() } else { self.root.join(path) };
        format!("file://{}", path.display())
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).and_then(|()| stdin.flush()).expect("write to the server");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response: the result, or `{"error": …}`.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    fn response(&mut self, id: &Value) -> Value {
        let message = self.wait_for(|m| m.get("method").is_none() && m.get("id") == Some(id), "a response");
        match message.get("error") {
            Some(error) => json!({ "error": error }),
            None => message.get("result").cloned().unwrap_or(Value::Null),
        }
    }

    /// The diagnostics next published for `path`.
    fn diagnostics(&mut self, path: &str) -> Value {
        let uri = self.uri(path);
        let message = self.wait_for(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str(),
            &format!("diagnostics of {path}"),
        );
        self.redact(&message["params"])
    }

    /// The next request from the server called `method`, answered with `result`.
    fn server_request(&mut self, method: &str, result: Value) -> Value {
        let message = self.wait_for(|m| m.get("id").is_some() && m["method"] == method, &format!("request {method}"));
        self.send(&json!({"jsonrpc": "2.0", "id": message["id"], "result": result}));
        message["params"].clone()
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool, what: &str) -> Value {
        if let Some(at) = self.unread.iter().position(&wanted) {
            return self.unread.remove(at).expect("present");
        }
        loop {
            match self.incoming.recv_timeout(WAIT) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.unread.push_back(message),
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}; unread: {:#?}", self.unread),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output while waiting for {what}; unread: {:#?}", self.unread)
                }
            }
        }
    }

    fn open(&mut self, path: &str, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, path: &str, version: i32, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&self, path: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(path)}, "position": {"line": line, "character": character}})
    }

    /// `value` with the project's location replaced by `[ROOT]`, for snapshots.
    fn redact(&self, value: &Value) -> Value {
        let text = value.to_string().replace(&self.uri(""), "file://[ROOT]");
        serde_json::from_str(&text).expect("JSON")
    }

    /// `shutdown` then `exit`; returns the exit code. Every message must have been read.
    fn shutdown(mut self) -> i32 {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> i32 {
        self.closed = true;
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Whatever came before the exit is in the channel by now.
                while let Ok(message) = self.incoming.recv_timeout(Duration::from_millis(200)) {
                    self.unread.push_back(message);
                }
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not exit");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() {
            assert!(self.closed, "the test did not shut the server down");
            assert!(self.unread.is_empty(), "messages left unread: {:#?}", self.unread);
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(file, text).expect("write");
}

/// A ready item with everything readiness rules ask for.
fn item(id: &str, title: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\ntype: story\nstatus: ready\nsize: 3\nrisk: low\nvalue: high\nowner: dana\n{extra}---\n\n\
         # {title}\n\n## Value hypothesis\nWe believe finance closes the month a day sooner.\n\n\
         ## Acceptance criteria\n- [ ] one row per invoice line\n"
    )
}

const CONFIG: &str = "statuses: [idea, refining, ready, in-progress, done]\n";

fn basic() -> Value {
    json!({})
}

/// A client that offers UTF-8 positions, related information and dynamic file watching.
fn rich() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
    })
}

#[test]
fn initialize_negotiates_utf8_when_offered_else_utf16() {
    let dir = project(&[(".backlint.yaml", CONFIG)]);
    let mut server = TestServer::start(dir.path(), rich(), &[""]);
    server.server_request("client/registerCapability", Value::Null);
    assert_eq!(server.shutdown(), 0);

    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    let again = server.request("initialize", json!({"capabilities": {}}));
    assert!(again.get("error").is_some(), "a second initialize is an error: {again}");
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn capabilities() {
    let dir = project(&[(".backlint.yaml", CONFIG)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_backlint"))
        .arg("server")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start");
    let mut stdin = child.stdin.take().expect("stdin");
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}}}})
    .to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
    drop(stdin);
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let response = read_message(&mut reader).expect("a response");
    insta::assert_json_snapshot!("server_capabilities", response);
    let status = child.wait().expect("exit");
    assert!(status.success(), "stdin closed: the server exits cleanly ({status})");
}

#[test]
fn diagnostics_on_open_and_change_with_multibyte_text() {
    let text = item("PB-1", "Crème brûlée 𝄞 export", "") + "- [ ] Make it fast — 𝄞 é, and user-friendly.\n";
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/pb-1.md", &text)]);
    for (caps, name) in [(basic(), "utf16"), (json!({"general": {"positionEncodings": ["utf-8"]}}), "utf8")] {
        let mut server = TestServer::start(dir.path(), caps, &[""]);
        server.open("backlog/pb-1.md", &text);
        insta::assert_json_snapshot!(
            format!("server_diagnostics_multibyte_{name}"),
            server.diagnostics("backlog/pb-1.md")
        );
        let fixed = text.replace("Make it fast — 𝄞 é, and user-friendly.", "It answers in 200 ms — 𝄞 é.");
        server.change("backlog/pb-1.md", 2, &fixed);
        let after = server.diagnostics("backlog/pb-1.md");
        assert_eq!(after["version"], 2);
        assert_eq!(after["diagnostics"], json!([]), "{after}");
        assert_eq!(server.shutdown(), 0);
    }
}

#[test]
fn debounced_changes_publish_once_for_the_last_version() {
    let text = item("PB-1", "Export", "");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/pb-1.md", &text)]);
    let mut server = TestServer::start_with(dir.path(), basic(), &[""], json!({"debounceMs": 150, "history": false}));
    server.open("backlog/pb-1.md", &text);
    assert_eq!(server.diagnostics("backlog/pb-1.md")["diagnostics"], json!([]));
    for version in 2..=4 {
        server.change("backlog/pb-1.md", version, &text.replace("size: 3", &format!("size: {}", 10 + version)));
    }
    let published = server.diagnostics("backlog/pb-1.md");
    assert_eq!(published["version"], 4);
    assert!(published.to_string().contains("size 14 exceeds"), "{published}");
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn a_duplicate_id_flags_the_other_file_with_related_information_and_fixing_it_clears_both() {
    let a = item("PB-1", "Export", "");
    let b = item("PB-2", "Import", "");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a), ("backlog/b.md", &b)]);
    let mut server = TestServer::start(dir.path(), rich(), &[""]);
    server.server_request("client/registerCapability", Value::Null);
    server.open("backlog/b.md", &b);
    assert_eq!(server.diagnostics("backlog/b.md")["diagnostics"], json!([]));
    server.change("backlog/b.md", 2, &b.replace("PB-2", "PB-1"));
    let (on_a, on_b) = (server.diagnostics("backlog/a.md"), server.diagnostics("backlog/b.md"));
    insta::assert_json_snapshot!("server_duplicate_id", json!({"a": on_a, "b": on_b}));
    server.change("backlog/b.md", 3, &b);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.diagnostics("backlog/b.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn closing_a_file_republishes_its_disk_state() {
    let a = item("PB-1", "Export", "");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/a.md", &a.replace("size: 3", "size: 40"));
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"][0]["code"], "size-limit");
    let uri = server.uri("backlog/a.md");
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn unused_suppressions_are_tagged_unnecessary() {
    let text = item("PB-1", "Export", "") + "<!-- backlint-disable size-limit -- no need -->\n";
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &text)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/a.md", &text);
    let published = server.diagnostics("backlog/a.md");
    assert_eq!(published["diagnostics"][0]["code"], "unused-suppression", "{published}");
    assert_eq!(published["diagnostics"][0]["tags"], json!([1]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let text = item("PB-1", "Export", "").replace("size: 3", "size: 40");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &text)]);
    let caps = json!({"textDocument": {"diagnostic": {}}, "workspace": {"diagnostic": {"refreshSupport": true}}});
    let mut server = TestServer::start(dir.path(), caps, &[""]);
    server.open("backlog/a.md", &text);
    server.server_request("workspace/diagnostic/refresh", Value::Null);
    let uri = server.uri("backlog/a.md");
    let report = server.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    let report = server.redact(&report);
    insta::assert_json_snapshot!("server_pull_diagnostics", report);
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn hover_on_a_finding_and_on_an_id() {
    let a = item("PB-1", "Export invoices as CSV", "").replace("size: 3", "size: 40");
    let b = item("PB-2", "Import", "depends_on: [PB-1]\n");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a), ("backlog/b.md", &b)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/a.md", &a);
    server.diagnostics("backlog/a.md");
    // `size: 40` is line 5; the value starts at column 6.
    let on_finding = server.request("textDocument/hover", server.at("backlog/a.md", 5, 7));
    let doc = on_finding["contents"]["value"].as_str().unwrap_or_default();
    assert!(doc.starts_with("**backlint: `size-limit`**"), "{on_finding}");
    assert!(doc.contains("## What it does"), "{on_finding}");
    server.open("backlog/b.md", &b);
    server.diagnostics("backlog/b.md");
    // `depends_on: [PB-1]` is line 9.
    let on_id = server.request("textDocument/hover", server.at("backlog/b.md", 9, 15));
    insta::assert_json_snapshot!("server_hover_id", on_id);
    let nothing = server.request("textDocument/hover", server.at("backlog/b.md", 0, 0));
    assert_eq!(nothing, Value::Null);
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn definition_references_and_symbols() {
    let a = item("PB-1", "Export invoices as CSV", "");
    let b = item("PB-2", "Import", "depends_on: [PB-1]\n") + "\nAfter PB-1 ships.\n";
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a), ("backlog/b.md", &b)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/b.md", &b);
    server.diagnostics("backlog/b.md");
    let definition = server.request("textDocument/definition", server.at("backlog/b.md", 9, 15));
    let mut references_params = server.at("backlog/b.md", 9, 15);
    references_params["context"] = json!({"includeDeclaration": true});
    let references = server.request("textDocument/references", references_params);
    let workspace_symbols = server.request("workspace/symbol", json!({"query": "invoices"}));
    let uri = server.uri("backlog/b.md");
    let document_symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let all = json!({
        "definition": definition,
        "references": references,
        "workspace_symbols": workspace_symbols,
        "document_symbols": document_symbols,
    });
    insta::assert_json_snapshot!("server_navigation", server.redact(&all));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn completion_offers_configured_values_ids_and_sections() {
    let a = item("PB-1", "Export invoices as CSV", "");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    let draft = "---\nid: PB-2\nstatus: re\ndepends_on: [\n---\n\n## \n";
    server.open("backlog/b.md", draft);
    server.diagnostics("backlog/b.md");
    let labels = |result: &Value| -> Vec<String> {
        result.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(str::to_owned)).collect()
    };
    let status = server.request("textDocument/completion", server.at("backlog/b.md", 2, 10));
    assert_eq!(labels(&status), ["idea", "refining", "ready", "in-progress", "done"]);
    assert_eq!(
        status[0]["textEdit"]["range"],
        json!({"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 10}})
    );
    let ids = server.request("textDocument/completion", server.at("backlog/b.md", 3, 13));
    insta::assert_json_snapshot!("server_completion_ids", ids);
    let sections = server.request("textDocument/completion", server.at("backlog/b.md", 6, 3));
    assert!(labels(&sections).contains(&"Acceptance criteria".to_owned()), "{sections}");
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn code_actions_disable_a_rule_for_the_line_or_the_item() {
    let text = item("PB-1", "Export", "") + "- [ ] Make it fast.\n";
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &text)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/a.md", &text);
    let published = server.diagnostics("backlog/a.md");
    let diagnostic = published["diagnostics"][0].clone();
    assert_eq!(diagnostic["code"], "vague-language");
    let uri = server.uri("backlog/a.md");
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    insta::assert_json_snapshot!("server_code_actions", server.redact(&actions));
    // Applying the line action silences the finding (the suppression needs its reason filled in
    // only when the project asks for reasons).
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    let line = edit["range"]["start"]["line"].as_u64().expect("line") as usize;
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let new_text = edit["newText"].as_str().expect("text").to_owned();
    lines.insert(line, &new_text);
    server.change("backlog/a.md", 2, &lines.concat());
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn config_changes_reload_and_a_config_error_is_a_diagnostic_in_the_config_file() {
    let text = item("PB-1", "Export", "").replace("size: 3", "size: 6");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &text)]);
    let mut server = TestServer::start(dir.path(), rich(), &[""]);
    let registration = server.server_request("client/registerCapability", Value::Null);
    assert_eq!(registration["registrations"][0]["method"], "workspace/didChangeWatchedFiles");
    server.open("backlog/a.md", &text);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    let config_uri = server.uri(".backlint.yaml");
    let changed = json!({"changes": [{"uri": config_uri, "type": 2}]});

    write(dir.path(), ".backlint.yaml", &format!("{CONFIG}rules:\n  size-limit: {{ max: 5 }}\n"));
    server.notify("workspace/didChangeWatchedFiles", changed.clone());
    let reloaded = server.diagnostics("backlog/a.md");
    assert_eq!(reloaded["diagnostics"][0]["code"], "size-limit", "{reloaded}");

    write(
        dir.path(),
        ".backlint.yaml",
        &format!("{CONFIG}rules:\n  size-limit: {{ max: 5 }}\n  no-such-rule: error\n"),
    );
    server.notify("workspace/didChangeWatchedFiles", changed.clone());
    insta::assert_json_snapshot!("server_config_error", server.diagnostics(".backlint.yaml"));
    // The item keeps its last good findings: nothing is republished for it.
    let hover = server.request("textDocument/hover", server.at("backlog/a.md", 5, 7));
    assert!(hover.to_string().contains("size-limit"), "{hover}");

    write(dir.path(), ".backlint.yaml", CONFIG);
    server.notify("workspace/didChangeWatchedFiles", changed);
    assert_eq!(server.diagnostics(".backlint.yaml")["diagnostics"], json!([]));
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn files_created_changed_and_deleted_on_disk_are_picked_up() {
    let a = item("PB-1", "Export", "");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &a)]);
    let mut server = TestServer::start(dir.path(), rich(), &[""]);
    server.server_request("client/registerCapability", Value::Null);
    server.open("backlog/a.md", &a);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    // A checkout brings a second item with the same id.
    write(dir.path(), "backlog/c.md", &item("PB-1", "Copy", ""));
    let created = json!({"changes": [{"uri": server.uri("backlog/c.md"), "type": 1}]});
    server.notify("workspace/didChangeWatchedFiles", created);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"][0]["code"], "duplicate-id");
    assert_eq!(server.diagnostics("backlog/c.md")["diagnostics"][0]["code"], "duplicate-id");
    // A rename: the old path is deleted, the new one created.
    std::fs::rename(dir.path().join("backlog/c.md"), dir.path().join("backlog/d.md")).expect("rename");
    let renamed = json!({"changes": [
        {"uri": server.uri("backlog/c.md"), "type": 3},
        {"uri": server.uri("backlog/d.md"), "type": 1}
    ]});
    server.notify("workspace/didChangeWatchedFiles", renamed);
    let on_a = server.diagnostics("backlog/a.md");
    assert!(on_a.to_string().contains("also used by backlog/d.md"), "{on_a}");
    assert_eq!(server.diagnostics("backlog/c.md")["diagnostics"], json!([]));
    assert_eq!(server.diagnostics("backlog/d.md")["diagnostics"][0]["code"], "duplicate-id");
    std::fs::remove_file(dir.path().join("backlog/d.md")).expect("delete");
    let deleted = json!({"changes": [{"uri": server.uri("backlog/d.md"), "type": 3}]});
    server.notify("workspace/didChangeWatchedFiles", deleted);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.diagnostics("backlog/d.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn each_workspace_folder_uses_its_own_project() {
    let strict = "statuses: [idea, refining, ready, in-progress, done]\nrules:\n  size-limit: { max: 2 }\n";
    let text = item("PB-1", "Export", "");
    let dir = project(&[
        ("one/.backlint.yaml", CONFIG),
        ("one/backlog/a.md", &text),
        ("two/.backlint.yaml", strict),
        ("two/backlog/a.md", &text),
    ]);
    let mut server = TestServer::start(dir.path(), basic(), &["one", "two"]);
    server.open("one/backlog/a.md", &text);
    assert_eq!(server.diagnostics("one/backlog/a.md")["diagnostics"], json!([]));
    server.open("two/backlog/a.md", &text);
    assert_eq!(server.diagnostics("two/backlog/a.md")["diagnostics"][0]["code"], "size-limit");
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn bad_messages_get_json_rpc_errors_and_cancelled_requests_are_answered_so() {
    let dir = project(&[(".backlint.yaml", CONFIG)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = server.response(&Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    server.send(&json!({"jsonrpc": "2.0", "id": 77, "params": {}}));
    let invalid = server.response(&json!(77));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    let unknown = server.request("backlint/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad_params = server.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    server.notify("$/cancelRequest", json!({"id": 99}));
    server.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "workspace/symbol", "params": {"query": ""}}));
    let cancelled = server.response(&json!(99));
    assert_eq!(cancelled["error"]["code"], -32800, "{cancelled}");
    assert_eq!(server.shutdown(), 0);
}

#[test]
fn the_server_exits_when_stdin_closes_or_on_exit_without_shutdown() {
    let dir = project(&[(".backlint.yaml", CONFIG)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.stdin = None;
    assert_eq!(server.wait_exit(), 0);

    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), 1, "exit without shutdown");
}

/// `text` with LSP text edits applied (ASCII text: columns are bytes).
fn apply_edits(text: &str, edits: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().expect("line") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + position["character"].as_u64().expect("character") as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().expect("text").to_owned())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

#[test]
fn quick_fixes_and_fix_all_apply_the_rules_own_fixes() {
    let text = item("PB-1", "Export", "")
        .replace("status: ready", "status: In Progress")
        .replace("owner: dana", "owner: @dana");
    let dir = project(&[(".backlint.yaml", CONFIG), ("backlog/a.md", &text)]);
    let mut server = TestServer::start(dir.path(), basic(), &[""]);
    server.open("backlog/a.md", &text);
    let published = server.diagnostics("backlog/a.md");
    let diagnostic = published["diagnostics"][0].clone();
    assert_eq!(diagnostic["code"], "invalid-value", "{published}");
    assert_eq!(published["diagnostics"][1]["code"], "lenient-yaml", "{published}");
    let uri = server.uri("backlog/a.md");
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    let fix = &actions[0];
    assert!(fix["title"].as_str().unwrap_or_default().starts_with("Fix: "), "{actions}");
    assert_eq!(fix["isPreferred"], true);
    let fixed = apply_edits(&text, &fix["edit"]["changes"][&uri]);
    server.change("backlog/a.md", 2, &fixed);
    let after = server.diagnostics("backlog/a.md");
    assert_eq!(after["diagnostics"].as_array().map(Vec::len), Some(1), "one of two fixed: {after}");

    let all = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll.backlint"]}}),
    );
    assert_eq!(all[0]["kind"], "source.fixAll.backlint", "{all}");
    let clean = apply_edits(&fixed, &all[0]["edit"]["changes"][&uri]);
    assert!(clean.contains("status: in-progress") && clean.contains("owner: '@dana'"), "{clean}");
    server.change("backlog/a.md", 3, &clean);
    assert_eq!(server.diagnostics("backlog/a.md")["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), 0);
}
