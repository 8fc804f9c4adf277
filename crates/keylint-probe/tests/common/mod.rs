//! A mock LLM provider on 127.0.0.1 for the probe tests, plus fabricated keys.
//!
//! Plain tokio and hand-written HTTP/1.1, so a test controls every byte: slow and
//! hanging answers, redirects, garbage, and a record of every connection and every
//! request header (to prove what was, and was not, sent). Nothing here touches the
//! network beyond loopback.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keylint_probe::ProbeSettings;
pub use keylint_test_support::random_alnum;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the mock saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, e.g. `/v1/models` or `/openai/models?api-version=2024-10-21`.
    pub target: String,
    /// Header names lowercased, values as received.
    pub headers: Vec<(String, String)>,
    /// The raw request head, to search for the key anywhere in it.
    pub raw: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What the mock answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
        delay: Duration,
    },
    /// Read the request, then never answer.
    Hang,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Location".into(), location.to_string())],
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn delayed(self, by: Duration) -> Reply {
        match self {
            Reply::Respond {
                status,
                headers,
                body,
                ..
            } => Reply::Respond {
                status,
                headers,
                body,
                delay: by,
            },
            Reply::Hang => Reply::Hang,
        }
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A mock server; stops when dropped.
pub struct Mock {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Mock {
    /// Starts a mock whose answers come from `handler(request, index)`, where
    /// `index` counts requests from 0.
    pub async fn start<F>(handler: F) -> Mock
    where
        F: Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let requests = Arc::clone(&requests);
            let connections = Arc::clone(&connections);
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, Arc::clone(&requests), Arc::clone(&handler)));
                }
            }
        });
        Mock {
            addr,
            requests,
            connections,
            task,
        }
    }

    /// A mock that always gives the same answer.
    pub async fn always(reply: Reply) -> Mock {
        Mock::start(move |_, _| reply.clone()).await
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn base(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port())
    }

    /// The allowlist entry for this mock, `127.0.0.1:PORT`.
    pub fn allow(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, requests: Arc<Mutex<Vec<Recorded>>>, handler: Arc<Handler>) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        head.extend_from_slice(&buffer[..read]);
        if head.first() == Some(&0x16) {
            // A TLS ClientHello to a plain-HTTP server: answer in plain HTTP, as a
            // misconfigured server would, so the client's handshake fails.
            let raw = String::from_utf8_lossy(&head).into_owned();
            requests.lock().unwrap().push(Recorded {
                method: "TLS".into(),
                target: String::new(),
                headers: Vec::new(),
                raw,
            });
            let _ = stream
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
            let _ = stream.shutdown().await;
            return;
        }
        if head.windows(4).any(|window| window == b"\r\n\r\n") || head.len() > 65536 {
            break;
        }
    }
    let raw = String::from_utf8_lossy(&head).into_owned();
    let mut lines = raw.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let headers = lines
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let recorded = Recorded {
        method,
        target,
        headers,
        raw,
    };
    let index = {
        let mut all = requests.lock().unwrap();
        all.push(recorded.clone());
        all.len() - 1
    };
    match handler(&recorded, index) {
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Reply::Respond {
            status,
            headers,
            body,
            delay,
        } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut response = format!("HTTP/1.1 {status} Mock\r\n");
            for (name, value) in headers {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ));
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    }
}

/// Settings that aim the probe at `mocks` through the user-level allowlist, the
/// same mechanism as `--allow-host`; no rate limit so tests do not interfere.
pub fn allow(mocks: &[&Mock]) -> ProbeSettings {
    ProbeSettings {
        timeout: Duration::from_secs(3),
        allowed_hosts: mocks.iter().map(|mock| mock.allow()).collect(),
        max_per_minute: 0,
    }
}

/// A fabricated OpenAI project key: `sk-proj-` + 74 + `T3BlbkFJ` + 74 characters.
pub fn openai_key() -> String {
    format!("sk-proj-{}T3BlbkFJ{}", random_alnum(74), random_alnum(74))
}

/// A fabricated Anthropic key shape.
pub fn anthropic_key() -> String {
    format!("sk-ant-api03-{}AA", random_alnum(93))
}

/// A fabricated Gemini key shape.
pub fn gemini_key() -> String {
    format!("AIzaSy{}", random_alnum(33))
}

/// A fabricated Azure key shape (32 hex characters).
pub fn azure_key() -> String {
    random_alnum(64)
        .bytes()
        .map(|byte| char::from(b"0123456789abcdef"[usize::from(byte) % 16]))
        .take(32)
        .collect()
}

/// Asserts that nothing user-visible in `outcome` shows `key` (the shared leak check).
pub fn assert_no_key(outcome: &keylint_probe::ProbeOutcome, key: &str) {
    keylint_test_support::Secrets::new([key]).assert_none_leaked([
        ("message", outcome.message.clone()),
        ("fix", outcome.fix.clone()),
        ("host", outcome.host.clone()),
        ("Debug", format!("{outcome:?}")),
        ("JSON", serde_json::to_string(outcome).unwrap()),
    ]);
}
