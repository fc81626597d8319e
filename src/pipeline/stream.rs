//! Handing the quads of a build from the thread that reads the inputs to the store writer, in
//! batches through a bounded channel, so that reading and writing overlap and memory holds a few
//! batches, not the store.
//!
//! Either side may stop early. When the writer fails (a full disk), the channel closes with it,
//! so the reading side's next send fails and it ends, instead of waiting forever for room in the
//! channel (which kept every thread asleep and the build lock held).

use std::sync::mpsc;

use oxigraph::model::Quad;

/// Quads per batch handed from the reading thread to the writer.
const BATCH: usize = 64 * 1024;

/// Batches the channel holds before the reading side waits.
const CHANNEL_BATCHES: usize = 4;

/// The writer stopped reading: the reading side should end (the writer's error explains why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// What both sides gave, or `None` for the reading side when it panicked.
pub struct Streamed<T, E> {
    /// What `produce` returned.
    pub produced: Option<T>,
    /// What `write` returned.
    pub written: Result<(), E>,
}

/// Runs `produce` on a thread of its own, handing each quad it sends to `write`, which runs on
/// this thread and reads them as an iterator. Both always end: when `write` returns early, its
/// iterator and the channel are dropped before waiting for `produce`, whose next send then
/// fails with [`Closed`].
pub fn stream<T: Send, E>(
    produce: impl FnOnce(&mut dyn FnMut(Quad) -> Result<(), Closed>) -> T + Send,
    write: impl FnOnce(&mut dyn Iterator<Item = Quad>) -> Result<(), E>,
) -> Streamed<T, E> {
    let (sender, receiver) = mpsc::sync_channel::<Vec<Quad>>(CHANNEL_BATCHES);
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let produced = produce(&mut |quad| {
                batch.push(quad);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    sender.send(full).map_err(|_| Closed)?;
                }
                Ok(())
            });
            // When the writer has stopped, this last send fails; its error tells why.
            let _ = sender.send(batch);
            produced
        });
        let written = {
            // Owned here and dropped at the end of this block, before the join below.
            let mut quads = receiver.into_iter().flatten();
            write(&mut quads)
        };
        Streamed {
            produced: producer.join().ok(),
            written,
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use oxigraph::model::{GraphName, NamedNode, Quad};

    use super::{BATCH, Closed, stream};

    fn quad() -> Quad {
        let node = NamedNode::new_unchecked("https://e/x");
        Quad::new(node.clone(), node.clone(), node, GraphName::DefaultGraph)
    }

    /// Runs `stream` on a thread and waits at most a minute for it: a hang fails the test.
    fn within_a_minute<T: Send + 'static>(run: impl FnOnce() -> T + Send + 'static) -> T {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(run());
        });
        finished
            .recv_timeout(Duration::from_secs(60))
            .expect("the stream hung: the reading side is still waiting on the channel")
    }

    #[test]
    fn a_writer_that_fails_ends_the_reading_side() {
        let (sent, written) = within_a_minute(|| {
            let streamed = stream(
                |send| {
                    let mut sent = 0_u64;
                    // Far more than the channel holds: the reading side must notice the writer
                    // stopped, not wait for room.
                    for _ in 0..100 * BATCH {
                        if send(quad()) == Err(Closed) {
                            return sent;
                        }
                        sent += 1;
                    }
                    sent
                },
                |quads| {
                    let _ = quads.next();
                    Err("no space left on device")
                },
            );
            (streamed.produced, streamed.written)
        });
        assert_eq!(written, Err("no space left on device"));
        let sent = sent.expect("the reading side ended normally");
        assert!(
            sent < 10 * BATCH as u64,
            "{sent} quads sent after the writer stopped"
        );
    }

    #[test]
    fn every_quad_reaches_a_writer_that_reads_them_all() {
        let (produced, written) = within_a_minute(|| {
            let streamed = stream(
                |send| (0..3 * BATCH + 7).try_for_each(|_| send(quad())),
                |quads| match quads.count() {
                    n if n == 3 * BATCH + 7 => Ok(()),
                    n => Err(n),
                },
            );
            (streamed.produced, streamed.written)
        });
        assert_eq!(produced, Some(Ok(())));
        assert_eq!(written, Ok(()));
    }
}
