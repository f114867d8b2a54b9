//! stdin and stdout for the stdio transport. Tokio's own stdin and stdout run every read and
//! write on a pool thread, which costs two thread hand-offs per message, more than a whole
//! tool call. When they are pipes (as an MCP client starts the server), they are read and
//! written through the event loop instead; anything else (a terminal, a file) falls back to
//! Tokio's.

use std::io;

use tokio::io::{AsyncRead, AsyncWrite};

pub type Reader = Box<dyn AsyncRead + Send + Unpin>;
pub type Writer = Box<dyn AsyncWrite + Send + Unpin>;

pub fn streams() -> (Reader, Writer) {
    let reader: Reader = match pipe_in() {
        Ok(r) => Box::new(r),
        Err(_) => Box::new(tokio::io::stdin()),
    };
    let writer: Writer = match pipe_out() {
        Ok(w) => Box::new(w),
        Err(_) => Box::new(tokio::io::stdout()),
    };
    (reader, writer)
}

#[cfg(unix)]
fn pipe_in() -> io::Result<tokio::net::unix::pipe::Receiver> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned()?;
    tokio::net::unix::pipe::Receiver::from_owned_fd(fd)
}

#[cfg(unix)]
fn pipe_out() -> io::Result<tokio::net::unix::pipe::Sender> {
    use std::os::fd::AsFd;
    let fd = io::stdout().as_fd().try_clone_to_owned()?;
    tokio::net::unix::pipe::Sender::from_owned_fd(fd)
}

#[cfg(not(unix))]
fn pipe_in() -> io::Result<tokio::io::Stdin> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn pipe_out() -> io::Result<tokio::io::Stdout> {
    Err(io::ErrorKind::Unsupported.into())
}
