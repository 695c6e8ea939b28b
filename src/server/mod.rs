//! `backlint server`: the Language Server Protocol over stdio, a thin translation of the
//! [`Workspace`](crate::workspace::Workspace). One synchronous loop reads messages in order; the
//! workspace does the work; one file per request family turns its answers into LSP types.

mod code_action;
mod completion;
mod connection;
pub(crate) mod convert;
mod diagnostics;
mod folders;
mod hover;
mod navigation;

use connection::Connection;
use convert::Encoding;
use crossbeam_channel::RecvTimeoutError;
use folders::Folders;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as note, request as req, ClientCapabilities, InitializeParams, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::{HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Why the server stopped other than by `exit` after `shutdown`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("the client closed the connection before `initialize`")]
    NoInitialize,
    #[error("the client sent `exit` without `shutdown` first")]
    ExitWithoutShutdown,
}

/// Options a client may pass in `initializationOptions`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Options {
    /// Milliseconds to wait after the last change before linting; 0 lints at once.
    debounce_ms: u64,
    /// Whether to read the items' git history (for history rules and hovers).
    history: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { debounce_ms: 150, history: true }
    }
}

/// Run the server on stdin and stdout until `exit` or the end of stdin.
pub fn run(now: i64) -> Result<(), ServerError> {
    let connection = Connection::stdio();
    let result = serve(&connection, now);
    connection.close();
    result
}

fn serve(connection: &Connection, now: i64) -> Result<(), ServerError> {
    // Until `initialize`, every request gets an error and notifications are dropped.
    let (id, params) = loop {
        match connection.receiver.recv() {
            Err(_) => return Err(ServerError::NoInitialize),
            Ok(Message::Request(request)) if request.method == req::Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => break (request.id, params),
                    Err(error) => {
                        connection.send(Message::Response(error_response(request.id, ErrorCode::InvalidParams, &error)))
                    }
                }
            }
            Ok(Message::Request(request)) => connection.send(Message::Response(Response::new_err(
                request.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".to_owned(),
            ))),
            Ok(Message::Notification(n)) if n.method == note::Exit::METHOD => return Ok(()),
            Ok(_) => {}
        }
    };
    let options: Options =
        params.initialization_options.clone().and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
    let encoding =
        Encoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
    let client = Client::new(&params.capabilities);
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(encoding, &client),
        server_info: Some(lsp_types::ServerInfo {
            name: "backlint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.send(Message::Response(Response::new_ok(id, result)));
    let mut server = Server {
        connection,
        encoding,
        client,
        folders: Folders::new(&params, options.history, now),
        debounce: Duration::from_millis(options.debounce_ms),
        due: None,
        queue: VecDeque::new(),
        cancelled: HashSet::new(),
        next_id: 0,
        shut_down: false,
    };
    server.main_loop()
}

/// What the client can do, as far as the server cares.
pub(crate) struct Client {
    /// `textDocument/diagnostic`: the client pulls diagnostics, so the server does not push them.
    pub(crate) pull: bool,
    /// `workspace/diagnostic/refresh`.
    pub(crate) refresh: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub(crate) watch: bool,
    pub(crate) related_information: bool,
}

impl Client {
    fn new(caps: &ClientCapabilities) -> Client {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        Client {
            pull: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            refresh: workspace.and_then(|w| w.diagnostic.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false),
            watch: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            related_information: text
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false),
        }
    }
}

fn capabilities(encoding: Encoding, client: &Client) -> lsp_types::ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "[".into(), ",".into(), "#".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(code_action::FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        diagnostic_provider: client.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("backlint".to_owned()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

pub(crate) struct Server<'c> {
    connection: &'c Connection,
    pub(crate) encoding: Encoding,
    pub(crate) client: Client,
    pub(crate) folders: Folders,
    debounce: Duration,
    /// When the documents changed since the last lint are due to be linted.
    due: Option<Instant>,
    /// Messages read ahead (to see cancellations), handled before new ones.
    queue: VecDeque<Message>,
    cancelled: HashSet<RequestId>,
    next_id: i32,
    shut_down: bool,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), ServerError> {
        self.folders.load_all();
        self.register_watchers();
        loop {
            let message = match self.queue.pop_front() {
                Some(message) => message,
                None => match self.due {
                    Some(due) => {
                        match self.connection.receiver.recv_timeout(due.saturating_duration_since(Instant::now())) {
                            Ok(message) => message,
                            Err(RecvTimeoutError::Timeout) => {
                                self.flush();
                                continue;
                            }
                            Err(RecvTimeoutError::Disconnected) => return Ok(()),
                        }
                    }
                    None => match self.connection.receiver.recv() {
                        Ok(message) => message,
                        Err(_) => return Ok(()),
                    },
                },
            };
            match message {
                Message::Request(request) => self.on_request(request),
                Message::Notification(notification) if notification.method == note::Exit::METHOD => {
                    return if self.shut_down { Ok(()) } else { Err(ServerError::ExitWithoutShutdown) };
                }
                Message::Notification(notification) => self.on_notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    /// Lint the documents changed since the last lint and publish what changed.
    fn flush(&mut self) {
        self.due = None;
        let changes = self.folders.apply_pending();
        self.publish(changes);
    }

    /// Publish (or, for pulling clients, ask them to refresh) the diagnostics of changed files.
    fn publish(&mut self, changes: Vec<folders::Changed>) {
        if changes.is_empty() {
            return;
        }
        if self.client.pull {
            if self.client.refresh {
                self.request::<req::WorkspaceDiagnosticRefresh>(());
            }
            return;
        }
        for changed in changes {
            let params = diagnostics::publish_params(self, &changed);
            self.notify::<note::PublishDiagnostics>(params);
        }
    }

    fn register_watchers(&mut self) {
        if !self.client.watch {
            return;
        }
        use lsp_types::{DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration};
        let watchers = ["**/.backlint.yaml", "**/*.md"]
            .iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String((*glob).to_owned()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "backlint-watched-files".to_owned(),
            method: note::DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.request::<req::RegisterCapability>(lsp_types::RegistrationParams { registrations: vec![registration] });
    }

    /// Read ahead whatever has arrived, noting cancellations.
    fn read_ahead(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            match message {
                Message::Notification(n) if n.method == note::Cancel::METHOD => {
                    if let Ok(params) = serde_json::from_value::<lsp_types::CancelParams>(n.params) {
                        self.cancelled.insert(request_id(params.id));
                    }
                }
                other => self.queue.push_back(other),
            }
        }
    }

    fn on_request(&mut self, request: Request) {
        self.read_ahead();
        if self.cancelled.remove(&request.id) {
            self.respond(Response::new_err(request.id, ErrorCode::RequestCanceled as i32, "cancelled".to_owned()));
            return;
        }
        if self.shut_down {
            self.respond(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ));
            return;
        }
        // Requests see every change the client sent before them.
        if self.due.is_some() {
            self.flush();
        }
        let id = request.id.clone();
        let response = catch_unwind(AssertUnwindSafe(|| self.dispatch(request))).unwrap_or_else(|_| {
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error while handling the request".to_owned(),
            )
        });
        self.respond(response);
    }

    fn dispatch(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        match method.as_str() {
            req::Shutdown::METHOD => {
                self.shut_down = true;
                Response::new_ok(id, ())
            }
            req::HoverRequest::METHOD => handle(id, params, |p| hover::hover(self, p)),
            req::GotoDefinition::METHOD => handle(id, params, |p| navigation::definition(self, p)),
            req::References::METHOD => handle(id, params, |p| navigation::references(self, p)),
            req::DocumentSymbolRequest::METHOD => handle(id, params, |p| navigation::document_symbols(self, p)),
            req::WorkspaceSymbolRequest::METHOD => handle(id, params, |p| navigation::workspace_symbols(self, p)),
            req::Completion::METHOD => handle(id, params, |p| completion::completion(self, p)),
            req::CodeActionRequest::METHOD => handle(id, params, |p| code_action::code_actions(self, p)),
            req::DocumentDiagnosticRequest::METHOD => handle(id, params, |p| diagnostics::pull(self, p)),
            _ => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown method `{method}`")),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        let handled = catch_unwind(AssertUnwindSafe(|| self.notification(&method, params)));
        if handled.is_err() {
            self.log(&format!("internal error while handling `{method}`"));
        }
    }

    fn notification(&mut self, method: &str, params: serde_json::Value) {
        match method {
            // A cancellation that arrives before its request (read ahead or not) is kept for it.
            note::Cancel::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::CancelParams>(params) {
                    self.cancelled.insert(request_id(params.id));
                }
            }
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params) {
                    let changes = self.folders.open(p.text_document.uri, p.text_document.version, p.text_document.text);
                    self.publish(changes);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params) {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.folders.change(&p.text_document.uri, p.text_document.version, change.text);
                        self.schedule();
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params) {
                    self.flush();
                    let changes = self.folders.close(&p.text_document.uri);
                    self.publish(changes);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                // A saved configuration is reloaded even by clients that do not watch files.
                if let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params) {
                    let is_config = p.text_document.uri.path().ends_with(crate::config::FILE_NAME);
                    if is_config {
                        self.flush();
                        let changes = self.folders.files_changed(&[p.text_document.uri]);
                        self.publish(changes);
                    }
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(params) {
                    self.flush();
                    let uris: Vec<Url> = p.changes.into_iter().map(|c| c.uri).collect();
                    let changes = self.folders.files_changed(&uris);
                    self.publish(changes);
                }
            }
            note::DidChangeWorkspaceFolders::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeWorkspaceFoldersParams>(params) {
                    self.flush();
                    let changes = self.folders.change_folders(&p.event);
                    self.publish(changes);
                }
            }
            _ => {}
        }
    }

    fn schedule(&mut self) {
        if self.debounce.is_zero() {
            self.flush();
        } else {
            self.due = Some(Instant::now() + self.debounce);
        }
    }

    fn respond(&self, response: Response) {
        self.connection.send(Message::Response(response));
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.connection.send(Message::Notification(Notification::new(N::METHOD.to_owned(), params)));
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("backlint-{}", self.next_id));
        self.connection.send(Message::Request(Request::new(id, R::METHOD.to_owned(), params)));
    }

    pub(crate) fn log(&self, message: &str) {
        self.notify::<note::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::LOG,
            message: format!("backlint: {message}"),
        });
    }
}

fn request_id(id: lsp_types::NumberOrString) -> RequestId {
    match id {
        lsp_types::NumberOrString::Number(n) => RequestId::from(n),
        lsp_types::NumberOrString::String(s) => RequestId::from(s),
    }
}

/// Decode the parameters, run `answer`, encode its result.
fn handle<P: DeserializeOwned, R: Serialize>(
    id: RequestId,
    params: serde_json::Value,
    answer: impl FnOnce(P) -> R,
) -> Response {
    match serde_json::from_value::<P>(params) {
        Ok(params) => Response::new_ok(id, answer(params)),
        Err(error) => error_response(id, ErrorCode::InvalidParams, &error),
    }
}

fn error_response(id: RequestId, code: ErrorCode, error: &dyn std::fmt::Display) -> Response {
    Response::new_err(id, code as i32, format!("invalid parameters: {error}"))
}
