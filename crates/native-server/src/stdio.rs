//! stdin and stdout for the stdio transport. Tokio's own stdin and stdout run every read and
//! write on a pool thread, which costs two thread hand-offs per message, more than a whole
//! tool call. When they are pipes or sockets (as MCP clients start a server: Node.js gives its
//! children sockets, most others pipes), they are read and written through the event loop
//! instead; anything else (a terminal, a file) falls back to Tokio's.

use std::io;

use tokio::io::{AsyncRead, AsyncWrite};

pub type Reader = Box<dyn AsyncRead + Send + Unpin>;
pub type Writer = Box<dyn AsyncWrite + Send + Unpin>;

pub fn streams() -> (Reader, Writer) {
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
