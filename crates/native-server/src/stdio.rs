//! stdin and stdout for the stdio transport. Tokio's own stdin and stdout run every read and
//! write on a pool thread, which costs two thread hand-offs per message, more than a whole
//! tool call. When they are pipes or sockets (as MCP clients start a server: Node.js gives its
//! children sockets, most others pipes), they are read and written through the event loop
//! instead; anything else (a terminal, a file) falls back to Tokio's.
//!
//! Replies are encoded here rather than by rmcp: most of a large reply is one text, and
//! escaping it is the largest single cost of a `get_activity` (serde_json escapes byte by
//! byte; sonic-rs, 16 bytes at a time). rmcp still reads and parses requests, and answers the
//! malformed ones itself; its replies and ours go to stdout as whole lines, through one writer.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use rmcp::RoleServer;
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::async_rw::AsyncRwTransport;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_util::sync::PollSender;

/// Replies queued for stdout before senders wait: a client that stops reading holds the server
/// back instead of making it buffer without end.
const QUEUED_LINES: usize = 64;

/// The MCP transport over stdin and stdout.
pub struct Transport {
    requests: AsyncRwTransport<RoleServer, Reader, Lines>,
    lines: mpsc::Sender<Vec<u8>>,
}

/// The transport, and the task that writes its replies: await it after the service ends, so
/// the last replies reach stdout before the process exits.
pub fn transport(max_line: usize) -> (Transport, tokio::task::JoinHandle<io::Result<()>>) {
    let (stdin, stdout) = streams();
    let (lines, queue) = mpsc::channel(QUEUED_LINES);
    let writer = tokio::spawn(write_lines(queue, stdout));
    let rmcp_replies = Lines {
        queue: PollSender::new(lines.clone()),
        partial: Vec::new(),
    };
    let requests = AsyncRwTransport::new_server(stdin, rmcp_replies).with_max_line_length(max_line);
    (Transport { requests, lines }, writer)
}

impl rmcp::transport::Transport<RoleServer> for Transport {
    type Error = io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), io::Error>> + Send + 'static {
        let lines = self.lines.clone();
        async move {
            let mut line = sonic_rs::to_vec(&item).map_err(io::Error::other)?;
            line.push(b'\n');
            lines.send(line).await.map_err(|_| closed())
        }
    }

    fn receive(&mut self) -> impl Future<Output = Option<RxJsonRpcMessage<RoleServer>>> + Send {
        self.requests.receive()
    }

    async fn close(&mut self) -> Result<(), io::Error> {
        rmcp::transport::Transport::close(&mut self.requests).await
    }
}

/// Writes queued lines in order, flushing whenever the queue runs empty.
async fn write_lines(mut queue: mpsc::Receiver<Vec<u8>>, mut out: Writer) -> io::Result<()> {
    while let Some(line) = queue.recv().await {
        out.write_all(&line).await?;
        if queue.is_empty() {
            out.flush().await?;
        }
    }
    out.flush().await
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "stdout is closed")
}

/// What rmcp writes (its answers to malformed requests), queued as whole lines beside ours.
struct Lines {
    queue: PollSender<Vec<u8>>,
    /// The start of a line whose end has not been written yet.
    partial: Vec<u8>,
}

impl AsyncWrite for Lines {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(end) = buf.iter().position(|&b| b == b'\n') else {
            this.partial.extend_from_slice(buf);
            return Poll::Ready(Ok(buf.len()));
        };
        ready!(this.queue.poll_reserve(cx)).map_err(|_| closed())?;
        let mut line = std::mem::take(&mut this.partial);
        line.extend_from_slice(&buf[..=end]);
        this.queue.send_item(line).map_err(|_| closed())?;
        Poll::Ready(Ok(end + 1))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

pub type Reader = Box<dyn AsyncRead + Send + Unpin>;
pub type Writer = Box<dyn AsyncWrite + Send + Unpin>;

fn streams() -> (Reader, Writer) {
    (reader(), writer())
}

#[cfg(unix)]
fn reader() -> Reader {
    use std::os::fd::AsFd;
    let fast = io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| -> io::Result<Reader> {
            Ok(match Kind::of(&fd)? {
                Kind::Pipe => Box::new(tokio::net::unix::pipe::Receiver::from_owned_fd(fd)?),
                Kind::Socket => Box::new(socket(fd)?),
                Kind::Other => return Err(io::ErrorKind::Unsupported.into()),
            })
        });
    fast.unwrap_or_else(|_| Box::new(tokio::io::stdin()))
}

#[cfg(unix)]
fn writer() -> Writer {
    use std::os::fd::AsFd;
    let fast = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| -> io::Result<Writer> {
            Ok(match Kind::of(&fd)? {
                Kind::Pipe => Box::new(tokio::net::unix::pipe::Sender::from_owned_fd(fd)?),
                Kind::Socket => Box::new(socket(fd)?),
                Kind::Other => return Err(io::ErrorKind::Unsupported.into()),
            })
        });
    fast.unwrap_or_else(|_| Box::new(tokio::io::stdout()))
}

#[cfg(unix)]
enum Kind {
    Pipe,
    Socket,
    Other,
}

#[cfg(unix)]
impl Kind {
    fn of(fd: &std::os::fd::OwnedFd) -> io::Result<Kind> {
        use std::os::unix::fs::FileTypeExt;
        let file = std::fs::File::from(fd.try_clone()?);
        let kind = file.metadata()?.file_type();
        Ok(if kind.is_fifo() {
            Kind::Pipe
        } else if kind.is_socket() {
            Kind::Socket
        } else {
            Kind::Other
        })
    }
}

#[cfg(unix)]
fn socket(fd: std::os::fd::OwnedFd) -> io::Result<tokio::net::UnixStream> {
    let stream = std::os::unix::net::UnixStream::from(fd);
    stream.set_nonblocking(true)?;
    tokio::net::UnixStream::from_std(stream)
}

#[cfg(not(unix))]
fn reader() -> Reader {
    Box::new(tokio::io::stdin())
}

#[cfg(not(unix))]
fn writer() -> Writer {
    Box::new(tokio::io::stdout())
}
