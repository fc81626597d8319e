//! The pool of SPARQL worker processes ([`super::worker`]) on the server's side: as many
//! workers as queries may run at once, a short bounded queue in front of them (then
//! "overloaded"), and a watch on each query in flight that kills its worker when it outlives
//! the timeout or grows past the memory cap — then starts a fresh one.

use std::ffi::OsString;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::Event;
use super::body::Piece;
use super::protocol::{Frame, WorkHead, WorkRequest, frame_header};

/// How often the memory of a worker in use is read.
const MEMORY_POLL: Duration = Duration::from_millis(20);

/// Time a worker gets past the timeout to stop the query itself before it is killed.
const GRACE: Duration = Duration::from_millis(500);

/// Why a query could not be answered by the pool.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// Every worker is busy and the queue is full (or the wait ran out).
    #[error(
        "the server is busy: {running} queries running and {queued} waiting; try again shortly"
    )]
    Overloaded {
        /// Workers.
        running: usize,
        /// Queue length.
        queued: usize,
    },
    /// The query outlived the timeout and its worker was killed.
    #[error("the query ran longer than the {0:?} timeout and was stopped")]
    Timeout(Duration),
    /// The worker's memory passed the cap and it was killed.
    #[error("the query used more than {} MiB of memory and was stopped", .0 >> 20)]
    Memory(u64),
    /// The worker could not be started or its pipe broke.
    #[error("the query worker failed: {0}")]
    Worker(String),
}

/// How the pool runs.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// The worker command: program and arguments.
    pub command: Vec<OsString>,
    /// Workers (the number of queries running at once).
    pub workers: usize,
    /// Requests that may wait for a worker; more are refused.
    pub queue: usize,
    /// How long a queued request waits before it is refused.
    pub queue_wait: Duration,
    /// How long a query may run.
    pub timeout: Duration,
    /// Resident memory a worker may reach, in bytes.
    pub memory: u64,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// The worker pool.
pub struct Pool {
    config: PoolConfig,
    idle: Mutex<Vec<Worker>>,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    events: super::EventSink,
}

/// A worker lent to one query, and its place in the pool.
pub struct Lease {
    pool: Arc<Pool>,
    worker: Option<Worker>,
    _permit: OwnedSemaphorePermit,
}

/// The head of an answer and the stream of its body.
pub struct Answer {
    /// Status, media type, rows, truncation.
    pub head: WorkHead,
    /// The body's chunks; an `Err` item means the body broke off.
    pub body: mpsc::Receiver<Piece>,
}

impl Pool {
    /// A pool; workers start on first use and are kept.
    pub fn new(config: PoolConfig, events: super::EventSink) -> Arc<Self> {
        Arc::new(Self {
            permits: Arc::new(Semaphore::new(config.workers.max(1))),
            config,
            idle: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
            events,
        })
    }

    /// Starts every worker now, so the first queries find them ready.
    ///
    /// # Errors
    /// When a worker cannot be started.
    pub fn warm(&self) -> Result<(), PoolError> {
        let mut started = Vec::new();
        for _ in 0..self.config.workers.max(1) {
            started.push(self.spawn()?);
        }
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(started);
        Ok(())
    }

    fn spawn(&self) -> Result<Worker, PoolError> {
        let (program, args) = self
            .config
            .command
            .split_first()
            .ok_or_else(|| PoolError::Worker("no worker command".into()))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| PoolError::Worker(format!("starting {}: {e}", program.display())))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(PoolError::Worker("worker pipes".into()));
        };
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// Waits for a worker: at once when one is free, else in the queue while it has room.
    ///
    /// # Errors
    /// [`PoolError::Overloaded`]; [`PoolError::Worker`] when a new worker cannot start.
    pub async fn lease(self: &Arc<Self>) -> Result<Lease, PoolError> {
        let overloaded = || PoolError::Overloaded {
            running: self.config.workers,
            queued: self.config.queue,
        };
        let permit = if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            permit
        } else {
            // The guard leaves the queue however the wait ends, a client that goes away
            // (its request future dropped mid-wait) included.
            let Some(_queued) = Queued::join(&self.waiting, self.config.queue) else {
                return Err(overloaded());
            };
            let waited =
                tokio::time::timeout(self.config.queue_wait, self.permits.clone().acquire_owned())
                    .await;
            match waited {
                Ok(Ok(permit)) => permit,
                _ => return Err(overloaded()),
            }
        };
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let worker = match idle {
            Some(worker) => worker,
            None => self.spawn()?,
        };
        Ok(Lease {
            pool: self.clone(),
            worker: Some(worker),
            _permit: permit,
        })
    }
}

impl Pool {
    /// Queries running and requests waiting for a worker now.
    pub fn load(&self) -> Load {
        Load::of(&self.permits, self.config.workers.max(1), &self.waiting)
    }
}

/// How busy a bounded pool is at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Load {
    /// Slots in use.
    pub running: usize,
    /// Requests waiting for a slot.
    pub waiting: usize,
}

impl Load {
    pub(super) fn of(permits: &Semaphore, size: usize, waiting: &AtomicUsize) -> Self {
        Self {
            running: size.saturating_sub(permits.available_permits()),
            // A refused join counts for an instant before it gives its place back.
            waiting: waiting.load(Ordering::SeqCst),
        }
    }
}

impl Lease {
    /// Sends the request and waits for the answer's head; the body streams from a task that
    /// keeps the worker until the end frame, then gives it back to the pool. A worker past
    /// the timeout or the memory cap is killed (and replaced on the next lease).
    ///
    /// # Errors
    /// [`PoolError::Timeout`], [`PoolError::Memory`], [`PoolError::Worker`].
    pub async fn run(mut self, request: &WorkRequest) -> Result<Answer, PoolError> {
        let deadline = Instant::now() + self.pool.config.timeout + GRACE;
        let mut line = serde_json::to_vec(request).map_err(|e| PoolError::Worker(e.to_string()))?;
        line.push(b'\n');
        let Some(worker) = self.worker.as_mut() else {
            return Err(PoolError::Worker("no worker".into()));
        };
        worker
            .stdin
            .write_all(&line)
            .await
            .map_err(|e| PoolError::Worker(format!("sending the query: {e}")))?;
        worker
            .stdin
            .flush()
            .await
            .map_err(|e| PoolError::Worker(e.to_string()))?;
        let Frame::Head(head) = self.frame(deadline).await? else {
            return Err(self.broken("the worker answered without a head"));
        };
        // A small answer is usually whole in the buffer by now (the worker writes it at once):
        // it is handed over as it is, with no task to forward it.
        if let Some(worker) = self.worker.as_mut()
            && let Some((pieces, used)) = whole_answer(worker.stdout.buffer())
        {
            worker.stdout.consume(used);
            self.give_back();
            let (send, receive) = mpsc::channel(pieces.len());
            for piece in pieces {
                send.try_send(piece)
                    .map_err(|_| PoolError::Worker("answer channel".into()))?;
            }
            return Ok(Answer {
                head,
                body: receive,
            });
        }
        let (send, receive) = mpsc::channel(4);
        tokio::spawn(async move {
            loop {
                // A client that reads slower than the deadline allows, or that left, loses the
                // answer; dropping `send` without `Done` breaks the body off.
                let piece = match self.frame(deadline).await {
                    Ok(Frame::Data(bytes)) => Piece::Data(Bytes::from(bytes)),
                    Ok(Frame::End) => {
                        // The worker is done and clean, whatever became of the client.
                        self.give_back();
                        let _ =
                            tokio::time::timeout_at(deadline.into(), send.send(Piece::Done)).await;
                        return;
                    }
                    Ok(Frame::Head(_)) => {
                        let _ = self.broken("the worker sent a second head");
                        return;
                    }
                    Err(_) => return,
                };
                let delivered = tokio::time::timeout_at(deadline.into(), send.send(piece)).await;
                if !matches!(delivered, Ok(Ok(()))) {
                    // The worker may still be writing: it goes.
                    self.kill();
                    return;
                }
            }
        });
        Ok(Answer {
            head,
            body: receive,
        })
    }

    /// Reads one frame before the deadline, watching the worker's memory meanwhile; kills
    /// the worker when either runs out.
    async fn frame(&mut self, deadline: Instant) -> Result<Frame, PoolError> {
        let timeout = self.pool.config.timeout;
        let cap = self.pool.config.memory;
        let Some(worker) = self.worker.as_mut() else {
            return Err(PoolError::Worker("no worker".into()));
        };
        let pid = worker.child.id();
        let result = {
            let read = async {
                let mut header = [0u8; 5];
                worker.stdout.read_exact(&mut header).await?;
                let (kind, len) = frame_header(header)?;
                let mut payload = vec![0; len];
                worker.stdout.read_exact(&mut payload).await?;
                Frame::decode(kind, payload)
            };
            tokio::pin!(read);
            // The first reading waits one period: most answers come sooner, and reading
            // `/proc` for every frame of every answer cost more than the answer's pipe.
            let first = tokio::time::Instant::now() + MEMORY_POLL;
            let mut poll = tokio::time::interval_at(first, MEMORY_POLL);
            loop {
                tokio::select! {
                    frame = &mut read => {
                        break frame.map_err(|e| PoolError::Worker(format!("reading its answer: {e}")));
                    }
                    () = tokio::time::sleep_until(deadline.into()) => {
                        break Err(PoolError::Timeout(timeout));
                    }
                    _ = poll.tick() => {
                        if let Some(rss) = pid.and_then(resident_memory) && rss > cap {
                            break Err(PoolError::Memory(cap));
                        }
                    }
                }
            }
        };
        if let Err(e) = &result {
            self.kill_for(e);
        }
        result
    }

    fn broken(&mut self, why: &str) -> PoolError {
        let error = PoolError::Worker(why.to_owned());
        self.kill_for(&error);
        error
    }

    fn kill_for(&mut self, why: &PoolError) {
        (self.pool.events)(&Event::WorkerKilled {
            reason: why.to_string(),
        });
        self.kill();
    }

    /// Kills the worker; the pool starts a fresh one on a later lease.
    fn kill(&mut self) {
        if let Some(mut worker) = self.worker.take() {
            let _ = worker.child.start_kill();
            // Reap it in the background so no zombie is left.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = worker.child.wait().await;
                });
            }
        }
    }

    fn give_back(&mut self) {
        if let Some(worker) = self.worker.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(worker);
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // A lease dropped with its worker mid-answer (an error on the way, a client gone):
        // the worker's state is unknown, so it goes.
        if self.worker.is_some() {
            self.kill();
        }
    }
}

/// Most frames of a whole answer taken from the buffer at once.
const WHOLE_FRAMES: usize = 8;

/// The body of an answer when `buffered` holds all of it — data frames, then the end frame —
/// and the bytes it takes; `None` when it does not (the frames are then read one by one, and
/// anything wrong with them is reported there).
fn whole_answer(buffered: &[u8]) -> Option<(Vec<Piece>, usize)> {
    let mut pieces = Vec::new();
    // The frames are read from the slice itself: a frame cut short is an end of input.
    let mut rest = buffered;
    while pieces.len() < WHOLE_FRAMES {
        match Frame::read(&mut rest).ok()? {
            Frame::Data(bytes) => pieces.push(Piece::Data(Bytes::from(bytes))),
            Frame::End => {
                pieces.push(Piece::Done);
                return Some((pieces, buffered.len() - rest.len()));
            }
            Frame::Head(_) => return None,
        }
    }
    None
}

/// The resident memory of a process, in bytes, from `/proc` (Linux); `None` elsewhere.
fn resident_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line
        .trim_start_matches("VmRSS:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// A place in a wait queue of bounded length, given back when dropped: however the wait ends,
/// by a permit, a timeout, or the request's future being dropped when its client goes away.
pub(super) struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    /// Takes a place when fewer than `limit` are taken.
    pub(super) fn join(waiting: &'a AtomicUsize, limit: usize) -> Option<Self> {
        let queued = Self(waiting);
        (waiting.fetch_add(1, Ordering::SeqCst) < limit).then_some(queued)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Piece, Queued, whole_answer};
    use crate::serve::protocol::{Frame, WorkHead};

    fn frames(frames: &[Frame]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for frame in frames {
            frame.write(&mut bytes).expect("write to a vector");
        }
        bytes
    }

    #[test]
    fn a_whole_answer_is_taken_from_the_buffer_and_only_a_whole_one() {
        let mut bytes = frames(&[
            Frame::Data(b"{\"head\"".to_vec()),
            Frame::Data(b":{}}".to_vec()),
            Frame::End,
        ]);
        let whole = bytes.len();
        // What follows the end frame is not the answer's.
        bytes.extend(frames(&[Frame::Data(b"next".to_vec())]));
        let (pieces, used) = whole_answer(&bytes).expect("whole");
        assert_eq!(used, whole);
        let body: Vec<u8> = pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Data(data) => Some(data.to_vec()),
                Piece::Done => None,
            })
            .flatten()
            .collect();
        assert_eq!(body, b"{\"head\":{}}");
        assert!(matches!(pieces.last(), Some(Piece::Done)));

        // Cut anywhere before the end frame is complete: not whole.
        for cut in 0..whole {
            assert!(whole_answer(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        // A second head, or more frames than are taken at once, are left to the frame reader.
        let head = frames(&[Frame::Head(WorkHead::default()), Frame::End]);
        assert!(whole_answer(&head).is_none());
        let mut many: Vec<Frame> = (0..20).map(|_| Frame::Data(b"x".to_vec())).collect();
        many.push(Frame::End);
        assert!(whole_answer(&frames(&many)).is_none());
    }

    #[test]
    fn a_place_in_the_queue_is_given_back_however_the_wait_ends() {
        let waiting = AtomicUsize::new(0);
        let first = Queued::join(&waiting, 2).expect("room");
        let second = Queued::join(&waiting, 2).expect("room");
        assert!(Queued::join(&waiting, 2).is_none(), "full");
        assert_eq!(
            waiting.load(Ordering::SeqCst),
            2,
            "a refused join takes no place"
        );
        drop(first);
        assert!(
            Queued::join(&waiting, 2).is_some(),
            "a freed place is taken again"
        );
        drop(second);
        assert_eq!(waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_wait_whose_client_goes_away_leaves_the_queue() {
        // A request future dropped while it waits (the client disconnected) must not keep its
        // place: before the guard, the count was only decremented after the wait returned.
        let waiting = AtomicUsize::new(0);
        let never = tokio::sync::Semaphore::new(0);
        let wait = async {
            let _queued = Queued::join(&waiting, 1).expect("room");
            let _ = never.acquire().await;
        };
        let cut = tokio::time::timeout(std::time::Duration::from_millis(20), wait).await;
        assert!(cut.is_err(), "the wait was cut off");
        assert_eq!(waiting.load(Ordering::SeqCst), 0);
    }
}
