//! The transport: LSP messages framed with `Content-Length` headers over stdin and stdout,
//! read and written by two threads so that the main loop only sees whole messages. A message
//! that is not valid JSON-RPC gets an error response here and never reaches the main loop.

use crossbeam_channel::{Receiver, Sender};
use lsp_server::Message;
use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

/// JSON-RPC error codes of the base protocol.
pub(super) const PARSE_ERROR: i32 = -32700;
pub(super) const INVALID_REQUEST: i32 = -32600;

pub(super) struct Connection {
    pub(super) receiver: Receiver<Message>,
    pub(super) sender: Sender<String>,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Connection {
    pub(super) fn stdio() -> Connection {
        let (out_tx, out_rx) = crossbeam_channel::unbounded::<String>();
        let (in_tx, in_rx) = crossbeam_channel::unbounded::<Message>();
        let writer = std::thread::spawn(move || {
            let mut stdout = io::stdout().lock();
            // An empty body is the signal to stop, after everything queued before it.
            for body in out_rx.iter().take_while(|body| !body.is_empty()) {
                let framed =
                    write!(stdout, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| stdout.flush());
                if framed.is_err() {
                    break;
                }
            }
        });
        let errors = out_tx.clone();
        let reader = std::thread::spawn(move || {
            let mut stdin = io::stdin().lock();
            while let Ok(Some(body)) = read_frame(&mut stdin) {
                match parse(&body) {
                    Ok(message) => {
                        if in_tx.send(message).is_err() {
                            break;
                        }
                    }
                    Err(error) => {
                        if errors.send(error).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Connection { receiver: in_rx, sender: out_tx, reader, writer }
    }

    /// Send a message to the client.
    pub(super) fn send(&self, message: Message) {
        let Ok(mut value) = serde_json::to_value(&message) else { return };
        value["jsonrpc"] = serde_json::Value::from("2.0");
        if let Ok(body) = serde_json::to_string(&value) {
            // A closed writer means the client is gone; the reader sees that too and ends the loop.
            let _ = self.sender.send(body);
        }
    }

    /// Let the writer finish sending what is queued. The reader is left alone: it may be
    /// blocked on a stdin that the client keeps open; the process ends it.
    pub(super) fn close(self) {
        let Connection { receiver, sender, reader, writer } = self;
        let _ = sender.send(String::new());
        drop((receiver, sender, reader));
        let _ = writer.join();
    }
}

/// One message body; `None` at the end of the input. A frame with a bad header is skipped.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    loop {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        input.read_exact(&mut body)?;
        return Ok(Some(body));
    }
}

/// The message in `body`, or the JSON-RPC error response to send instead.
fn parse(body: &[u8]) -> Result<Message, String> {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Err(error_response(serde_json::Value::Null, PARSE_ERROR, &format!("parse error: {error}")))
        }
    };
    let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
    let has = |key: &str| value.get(key).is_some();
    if !has("method") && !has("result") && !has("error") {
        return Err(error_response(id, INVALID_REQUEST, "invalid request: no `method`, `result` or `error`"));
    }
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Ok(message),
        Err(error) => Err(error_response(id, INVALID_REQUEST, &format!("invalid request: {error}"))),
    }
}

fn error_response(id: serde_json::Value, code: i32, message: &str) -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}).to_string()
}
