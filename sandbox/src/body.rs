//! The response body type: whole bodies, plus the deliberately broken ones faults need.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

use crate::conn::ConnControl;

/// A response body. `Full` is the normal case; `Cut` sends part of a body that declared a longer
/// length, waits briefly so the part is flushed, then fails the stream so hyper drops the
/// connection (with an RST when a [`ConnControl`] is attached).
pub(crate) struct SandboxBody {
    kind: Kind,
}

enum Kind {
    Full(Option<Bytes>),
    /// The same chunk `left` more times: a huge body costs one chunk of memory, however many
    /// clients read it at once.
    Repeat {
        chunk: Bytes,
        left: u64,
        /// The last, partial block.
        tail: Bytes,
    },
    Cut {
        first: Option<Bytes>,
        declared: u64,
        pause: Pin<Box<Sleep>>,
        reset: Option<ConnControl>,
    },
}

impl SandboxBody {
    pub(crate) fn empty() -> Self {
        Self::full(Bytes::new())
    }

    pub(crate) fn full(bytes: impl Into<Bytes>) -> Self {
        Self {
            kind: Kind::Full(Some(bytes.into())),
        }
    }

    /// `chunk` repeated `times` times, streamed without building the whole: small chunks
    /// are first joined into one block of about 256 KiB (so the body goes out in large
    /// writes), which is then sent as many times as needed, plus a slice of it at the end.
    pub(crate) fn repeat(chunk: Bytes, times: u64) -> Self {
        if chunk.is_empty() || times == 0 {
            return Self::empty();
        }
        let per_block = ((256 * 1024) / chunk.len()).max(1) as u64;
        let per_block = per_block.min(times);
        let block = Bytes::from(chunk.repeat(per_block as usize));
        let tail = block.slice(..(times % per_block) as usize * chunk.len());
        Self {
            kind: Kind::Repeat {
                chunk: block,
                left: times / per_block,
                tail,
            },
        }
    }

    /// Sends `first`, then breaks the connection although `declared` bytes were promised.
    pub(crate) fn cut(first: Bytes, declared: u64, reset: Option<ConnControl>) -> Self {
        Self {
            kind: Kind::Cut {
                first: Some(first),
                declared,
                pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
                reset,
            },
        }
    }

    /// The bytes of a whole body (`None` for a cut one, which has no whole).
    pub(crate) fn into_full_bytes(self) -> Option<Bytes> {
        match self.kind {
            Kind::Full(b) => Some(b.unwrap_or_default()),
            Kind::Repeat { .. } | Kind::Cut { .. } => None,
        }
    }
}

impl Body for SandboxBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut self.get_mut().kind {
            Kind::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Kind::Repeat { chunk, left, tail } => {
                if *left > 0 {
                    *left -= 1;
                    return Poll::Ready(Some(Ok(Frame::data(chunk.clone()))));
                }
                if tail.is_empty() {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Ok(Frame::data(std::mem::take(tail)))))
            }
            Kind::Cut {
                first,
                pause,
                reset,
                ..
            } => {
                if let Some(b) = first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(b))));
                }
                if pause.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                if let Some(conn) = reset.take() {
                    conn.abort();
                }
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "sandbox fault: body cut short",
                ))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(None) => true,
            Kind::Repeat { left, tail, .. } => *left == 0 && tail.is_empty(),
            _ => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Kind::Full(None) => SizeHint::with_exact(0),
            Kind::Repeat { chunk, left, tail } => {
                SizeHint::with_exact(chunk.len() as u64 * left + tail.len() as u64)
            }
            Kind::Cut { declared, .. } => SizeHint::with_exact(*declared),
        }
    }
}
