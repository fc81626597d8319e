//! Where a query runs: on a worker thread with a stack sized for the largest query the syntax
//! limits accept, streaming its answer through a bounded channel to the caller's thread, which
//! writes it and watches the deadline and the memory the process holds.
//!
//! The caller returns [`QueryError::Timeout`] or [`QueryError::Memory`] as soon as a limit is
//! crossed, whatever the worker is doing. It then cancels the worker, which stops at its next
//! store read, row or write; but a worker inside one of the evaluator's in-memory operators
//! (a sort, a group, a cartesian join) only sees that when the operator is done. In-process
//! callers cannot reclaim such a worker: `kg query` exits, which ends it, and `kg serve` runs
//! each query in a child process that it can end.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use oxigraph::sparql::CancellationToken;

use super::{Limits, Outcome, QueryError, memory};

/// What the worker sends to the caller.
pub enum Message {
    /// A piece of the answer, in order.
    Chunk(Vec<u8>),
    /// The end: how the query went.
    Done(Result<Outcome, QueryError>),
}

/// How much answer the worker sends at once.
const CHUNK: usize = 64 << 10;
/// How many chunks may wait in the channel: the answer never runs further ahead of the writes
/// (and the checks) than this.
const IN_FLIGHT: usize = 4;
/// How often the caller checks the deadline and memory while the worker is busy.
const TICK: Duration = Duration::from_millis(10);

/// How long a timed-out query's worker is waited for before the caller returns without it.
const STOP_GRACE: Duration = Duration::from_secs(1);
/// A worker that produces slowly still sends what it has this often.
const LATENCY: Duration = Duration::from_millis(100);

/// Runs `job` on a worker thread, writing what it sends to `out`, within `limits`.
///
/// # Errors
/// The job's error, [`QueryError::Timeout`], [`QueryError::Memory`], I/O errors of `out`,
/// [`QueryError::Stack`] when the thread cannot start and [`QueryError::Worker`] when it
/// panics.
pub fn run<F>(
    job: F,
    limits: &Limits,
    started: Instant,
    out: &mut dyn Write,
) -> Result<Outcome, QueryError>
where
    F: FnOnce(&mut ChannelWriter, &CancellationToken) -> Result<Outcome, QueryError>
        + Send
        + 'static,
{
    let stop = CancellationToken::new();
    let (sender, receiver) = mpsc::sync_channel(IN_FLIGHT);
    let stack = limits.syntax.stack_size();
    let token = stop.clone();
    let worker = std::thread::Builder::new()
        .name("kg-query".to_owned())
        .stack_size(stack)
        .spawn(move || {
            let mut writer = ChannelWriter::new(sender);
            let result = job(&mut writer, &token).and_then(|outcome| {
                writer.send()?;
                Ok(outcome)
            });
            // The caller may be gone (it stopped the query): nobody to tell.
            let _ = writer.sender.send(Message::Done(result));
        })
        .map_err(|source| QueryError::Stack {
            bytes: stack,
            source,
        })?;
    let watch = Watch::new(limits, started);
    let result = watch.receive(&receiver, out);
    if let Err(QueryError::Worker(_)) = &result {
        // The worker hung up without an answer: it panicked.
        return match worker.join() {
            Err(panic) => Err(QueryError::Worker(panic_message(panic.as_ref()))),
            Ok(()) => result,
        };
    }
    if result.is_err() {
        // Stop the worker where it can stop; dropping the receiver fails its next send.
        stop.cancel();
        drop(receiver);
        // Give it a moment to see the cancellation at its next store read (or its next send,
        // when a closed pipe stopped the writes): a process that exits while the worker is
        // inside the store aborts in RocksDB's teardown ("pthread lock: Invalid argument")
        // instead of exiting with the error. A worker held up in an in-memory operator is left
        // behind after the grace period, as documented above. Not past the memory cap: there,
        // every moment of waiting is memory the process takes.
        let grace = Instant::now()
            + if matches!(result, Err(QueryError::Memory { .. })) {
                Duration::ZERO
            } else {
                STOP_GRACE
            };
        while !worker.is_finished() && Instant::now() < grace {
            std::thread::sleep(TICK);
        }
        if worker.is_finished() {
            let _ = worker.join();
        }
        return result;
    }
    match worker.join() {
        Ok(()) => result,
        Err(panic) => Err(QueryError::Worker(panic_message(panic.as_ref()))),
    }
}

/// The caller's side: the deadline and the memory cap.
struct Watch {
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    memory: Option<(u64, u64)>,
    checked: Instant,
}

impl Watch {
    fn new(limits: &Limits, started: Instant) -> Self {
        Self {
            timeout: limits.timeout,
            deadline: limits.timeout.and_then(|t| started.checked_add(t)),
            memory: limits
                .memory
                .and_then(|cap| memory::resident().map(|baseline| (cap, baseline))),
            checked: Instant::now(),
        }
    }

    /// Writes what the worker sends until it is done or a limit is crossed.
    fn receive(
        mut self,
        receiver: &Receiver<Message>,
        out: &mut dyn Write,
    ) -> Result<Outcome, QueryError> {
        loop {
            let now = Instant::now();
            let wait = self
                .deadline
                .map_or(TICK, |d| d.saturating_duration_since(now).min(TICK));
            match receiver.recv_timeout(wait) {
                Ok(Message::Chunk(bytes)) => out.write_all(&bytes)?,
                Ok(Message::Done(result)) => {
                    out.flush()?;
                    return result;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(QueryError::Worker("stopped without an answer".to_owned()));
                }
            }
            self.check()?;
        }
    }

    fn check(&mut self) -> Result<(), QueryError> {
        let now = Instant::now();
        if let (Some(deadline), Some(timeout)) = (self.deadline, self.timeout)
            && now >= deadline
        {
            return Err(QueryError::Timeout(timeout));
        }
        if now.duration_since(self.checked) >= TICK
            && let Some((cap, baseline)) = self.memory
        {
            self.checked = now;
            if memory::resident().is_some_and(|r| r.saturating_sub(baseline) > cap) {
                return Err(QueryError::Memory { cap });
            }
        }
        Ok(())
    }
}

/// The worker's writer: buffers the answer and sends it in chunks; blocks while the channel is
/// full, and fails once the caller has stopped listening.
pub struct ChannelWriter {
    buffer: Vec<u8>,
    sender: SyncSender<Message>,
    sent: Instant,
}

impl ChannelWriter {
    fn new(sender: SyncSender<Message>) -> Self {
        Self {
            buffer: Vec::with_capacity(CHUNK),
            sender,
            sent: Instant::now(),
        }
    }

    /// Sends what is buffered.
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.sent = Instant::now();
        self.sender
            .send(Message::Chunk(chunk))
            .map_err(|_| io::Error::other("the query was stopped"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK || self.sent.elapsed() >= LATENCY {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic");
    format!("failed: {message}")
}
