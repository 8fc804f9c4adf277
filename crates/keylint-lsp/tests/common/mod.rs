//! An LSP client for tests: real `Content-Length` framing over any byte pipe (an
//! in-process `tokio::io::duplex` to `tower_lsp_server::Server`, or a spawned
//! `keylint lsp`), plus fabricated keys and a loopback mock provider.
//! Shared by the protocol tests here and the binary's end-to-end test.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub const TIMEOUT: Duration = Duration::from_secs(10);

pub struct TestClient {
    reader: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    next_id: i64,
    /// Notifications that arrived while waiting for something else.
    pending: VecDeque<Value>,
    /// Server→client requests seen (answered with `null`).
    pub server_requests: Vec<Value>,
    pub server: Option<tokio::task::JoinHandle<()>>,
}

impl TestClient {
    pub fn new(
        reader: Box<dyn AsyncRead + Unpin + Send>,
        writer: Box<dyn AsyncWrite + Unpin + Send>,
    ) -> TestClient {
        TestClient {
            reader: BufReader::new(reader),
            writer,
            next_id: 0,
            pending: VecDeque::new(),
            server_requests: Vec::new(),
            server: None,
        }
    }

    /// An in-process server, initialized with `capabilities`, default settings and
    /// `root` as the workspace.
    pub async fn started(capabilities: Value, root: &std::path::Path) -> TestClient {
        let mut client = TestClient::in_process();
        client
            .initialize(capabilities, json!({}), &file_uri(root))
            .await;
        client
    }

    /// The real server, in this process, over in-memory pipes.
    pub fn in_process() -> TestClient {
        TestClient::in_process_on(std::sync::Arc::default())
    }

    /// [`TestClient::in_process`] on state the test keeps, to look at afterwards.
    pub fn in_process_on(state: std::sync::Arc<keylint_lsp::state::State>) -> TestClient {
        TestClient::serving(move |client| keylint_lsp::Backend::with_state(client, state))
    }

    /// Any language server, in this process, over in-memory pipes (the benchmark's
    /// do-nothing server).
    pub fn serving<S: tower_lsp_server::LanguageServer>(
        server: impl FnOnce(tower_lsp_server::Client) -> S,
    ) -> TestClient {
        let (client_to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, server_to_client) = tokio::io::duplex(1 << 16);
        let (service, socket) = tower_lsp_server::LspService::new(server);
        let server = tokio::spawn(async move {
            tower_lsp_server::Server::new(server_in, server_out, socket)
                .serve(service)
                .await;
        });
        let mut client = TestClient::new(Box::new(server_to_client), Box::new(client_to_server));
        client.server = Some(server);
        client
    }

    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let head = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(head.as_bytes()).await.unwrap();
        self.writer.write_all(&body).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// Writes raw bytes (to test framing and garbage).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    async fn read_frame(&mut self) -> Option<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length?];
        self.reader.read_exact(&mut body).await.ok()?;
        match serde_json::from_slice(&body) {
            Ok(value) => Some(value),
            Err(error) => panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            ),
        }
    }

    /// The next message from the server; server requests are answered with `null`.
    pub async fn recv(&mut self) -> Value {
        self.try_recv(TIMEOUT)
            .await
            .expect("the server sent nothing in time")
    }

    pub async fn try_recv(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let message = tokio::time::timeout(wait, self.read_frame()).await.ok()??;
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.server_requests.push(message);
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}))
                    .await;
                continue;
            }
            return Some(message);
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.recv().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                if let Some(error) = message.get("error") {
                    panic!("{method} failed: {error}");
                }
                return message["result"].clone();
            }
            self.pending.push_back(message);
        }
    }

    /// Sends a request and returns its id without waiting (for cancellation tests).
    pub async fn start_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        id
    }

    pub async fn response(&mut self, id: i64) -> Value {
        if let Some(index) = self
            .pending
            .iter()
            .position(|message| message.get("id") == Some(&json!(id)))
        {
            return self.pending.remove(index).unwrap();
        }
        loop {
            let message = self.recv().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next notification `method` (earlier ones of other methods are kept).
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(index) = self
            .pending
            .iter()
            .position(|message| message["method"] == method)
        {
            return self.pending.remove(index).unwrap()["params"].clone();
        }
        loop {
            let message = self.recv().await;
            if message["method"] == method {
                return message["params"].clone();
            }
            self.pending.push_back(message);
        }
    }

    /// The next `publishDiagnostics` for `uri`.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let params = self.notification("textDocument/publishDiagnostics").await;
            if params["uri"] == uri {
                return params;
            }
        }
    }

    /// Every message that arrives within `wait` (and the pending ones).
    pub async fn drain(&mut self, wait: Duration) -> Vec<Value> {
        let mut messages: Vec<Value> = self.pending.drain(..).collect();
        while let Some(message) = self.try_recv(wait).await {
            messages.push(message);
        }
        messages
    }

    pub async fn initialize(&mut self, capabilities: Value, options: Value, root: &str) -> Value {
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root,
                    "capabilities": capabilities,
                    "initializationOptions": options,
                    "clientInfo": {"name": "keylint-tests"}
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, uri: &str, text: &str, version: i32) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dotenv", "version": version, "text": text}}),
        )
        .await;
    }

    pub async fn change_full(&mut self, uri: &str, text: &str, version: i32) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        )
        .await;
    }

    pub async fn shutdown(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

/// Applies LSP edits (UTF-16 positions) to a text.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (index, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + index;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(offset(&edit["range"]["start"])));
    let mut out = text.to_string();
    for edit in edits {
        let start = offset(&edit["range"]["start"]);
        let end = offset(&edit["range"]["end"]);
        out.replace_range(start..end, edit["newText"].as_str().unwrap());
    }
    out
}

/// The real `keylint lsp` (the `binary` a test of the `keylint` crate names with
/// `env!("CARGO_BIN_EXE_keylint")`), logging at `log` level to a pipe, and a client on its
/// standard input and output.
pub fn spawn_server(binary: &str, log: &str) -> (tokio::process::Child, TestClient) {
    let mut child = tokio::process::Command::new(binary)
        .arg("lsp")
        .env("KEYLINT_LOG", log)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stdin = child.stdin.take().unwrap();
    (child, TestClient::new(Box::new(stdout), Box::new(stdin)))
}

/// Everything a spawned server wrote to stderr (its log), once it has exited.
pub async fn stderr_of(child: &mut tokio::process::Child) -> String {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    stderr
}

/// `shutdown` then `exit` to a spawned server, which must end with 0 within `within`;
/// its log (standard error).
pub async fn shut_down(
    child: &mut tokio::process::Child,
    client: &mut TestClient,
    within: Duration,
) -> String {
    client.shutdown().await;
    let status = tokio::time::timeout(within, child.wait())
        .await
        .unwrap_or_else(|_| panic!("keylint lsp exits within {within:?} of `exit`"))
        .unwrap();
    assert!(status.success(), "{status}");
    stderr_of(child).await
}

/// Client capabilities: push (no `textDocument.diagnostic`), UTF-16 only.
pub fn push_capabilities() -> Value {
    json!({"textDocument": {"publishDiagnostics": {}}})
}

/// Client capabilities of a modern editor: pull diagnostics, utf-8 offered, completion
/// label details drawn.
pub fn pull_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {
            "diagnostic": {"dynamicRegistration": false},
            "completion": {"completionItem": {"labelDetailsSupport": true}}
        },
        "workspace": {"diagnostics": {"refreshSupport": true}}
    })
}

/// A fabricated OpenAI project key of the right shape (not a real key).
pub fn openai_key(tag: char) -> String {
    format!("sk-proj-{}T3BlbkFJ{}Qa", noise(tag, 74), noise(tag, 72))
}

/// Deterministic key-like characters (a small LCG), different per seed.
pub fn noise(seed: char, length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

/// A fabricated Anthropic key.
pub fn anthropic_key() -> String {
    format!("sk-ant-api03-{}AA", noise('z', 93))
}

pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// A mock OpenAI on 127.0.0.1: answers every request with `status` and `body`, and
/// counts connections (to prove none were made).
pub struct MockProvider {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
    pub task: tokio::task::JoinHandle<()>,
}

impl MockProvider {
    pub async fn start(status: u16, body: &'static str) -> MockProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 1024];
                    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(read) => head.extend_from_slice(&buffer[..read]),
                        }
                    }
                    let reason = if status == 200 { "OK" } else { "Unauthorized" };
                    let response = format!(
                        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        MockProvider {
            port,
            connections,
            task,
        }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

pub const INVALID_KEY_BODY: &str = r#"{"error":{"message":"Incorrect API key provided: sk-proj-********Qa. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
