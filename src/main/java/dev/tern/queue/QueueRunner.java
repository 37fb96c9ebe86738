package dev.tern.queue;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Courier;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers what the spool holds. A committed message is handed over in memory and attempted at once on a
 * virtual thread. The runner holds no pool of its own: how many deliveries run together is bounded by the
 * couriers, in lanes that cannot starve each other (local mailboxes; connections in total and per
 * destination, each attempt under a deadline). A pool shared by all attempts let a few servers that answer
 * one byte every few minutes hold every permit, and with them all delivery, local mail included.
 *
 * <p>After an attempt that left recipients deferred, a timer brings the message back at the earliest retry
 * time; backoff doubles from {@code retryInitial} to {@code retryMax}, and recipients still open
 * {@code lifetime} after arrival fail. Each message is attempted by one thread at a time.
 *
 * <p>Start order: open the {@link FileSpool}, create this runner, {@link #start()} it (it takes the hand-off
 * and re-queues every committed message), then start the SMTP listeners. Stop: listeners first, then
 * {@link #close()}.
 *
 * <p>Operator commands ({@link QueueOperations}) never race an attempt: the message is first taken out of the
 * runner (its timer cancelled, new hand-offs of it ignored) and any attempt of it running is waited for; then
 * the spool is edited ({@link OfflineQueue}) and the message handed back if it is still to be attempted. A
 * held message ({@link FileSpool#hold}) is never attempted and not even scheduled.
 */
public final class QueueRunner implements QueueOperations, AutoCloseable {

    private final FileSpool spool;
    private final DeliveryAttempt attempt;
    private final QueueSettings settings;
    private final DelayScheduler scheduler;
    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<QueueId, Slot> slots = new HashMap<>();
    private final Set<QueueId> claimed = new HashSet<>();
    private final OfflineQueue edits;
    private int running;
    private boolean closed;

    public QueueRunner(FileSpool spool, Courier courier, QueueSettings settings, Clock clock) {
        this(spool, courier, settings, new SystemDelayScheduler(clock), new LoggingBounceSink());
    }

    public QueueRunner(FileSpool spool, Courier courier, QueueSettings settings, DelayScheduler scheduler,
                       BounceSink bounces) {
        this.spool = spool;
        this.settings = settings;
        this.scheduler = scheduler;
        this.attempt = new DeliveryAttempt(spool, courier, settings, bounces);
        this.edits = new OfflineQueue(spool, bounces, settings, scheduler::now);
    }

    /** Takes the spool's hand-off, then queues every message already committed (recovery after a stop). */
    public void start() throws IOException {
        spool.handOffTo(id -> accept(id, null));
        List<QueueId> waiting = spool.committed().stream().filter(id -> !spool.isHeld(id)).toList();
        for (QueueId id : waiting) {
            accept(id, retryTime(id));
        }
        if (!waiting.isEmpty()) {
            MailLog.event(null, "queue-recovered").with("messages", waiting.size()).log();
        }
    }

    /**
     * Makes every waiting message due now (deferred ones too), as {@code tern queue flush} asks; also takes
     * messages that other processes committed without telling the runner. Held messages stay.
     */
    @Override
    public int flush() throws IOException {
        lock.lock();
        try {
            slots.forEach((id, slot) -> due(id, slot));
        } finally {
            lock.unlock();
        }
        for (QueueId id : spool.committed()) {
            if (!spool.isHeld(id)) {
                accept(id, null);
            }
        }
        lock.lock();
        try {
            return slots.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush(QueueId id) throws IOException {
        if (!spool.exists(id)) {
            throw QueueRefusedException.noSuchMessage(id);
        }
        if (spool.isHeld(id)) {
            throw new QueueRefusedException("message " + id + " is held: release it first");
        }
        lock.lock();
        try {
            Slot slot = slots.get(id);
            if (slot != null) {
                due(id, slot);
                return;
            }
        } finally {
            lock.unlock();
        }
        accept(id, null);
    }

    @Override
    public void delete(QueueId id) throws IOException {
        exclusive(id, () -> {
            edits.delete(id);
            return null;
        });
    }

    @Override
    public int deleteAll() throws IOException {
        int n = 0;
        for (QueueId id : spool.committed()) {
            try {
                delete(id);
                n++;
            } catch (QueueRefusedException finishedMeanwhile) {
                // delivered while we went through the list
            }
        }
        return n;
    }

    @Override
    public void hold(QueueId id, String reason) throws IOException {
        exclusive(id, () -> {
            edits.hold(id, reason);
            return null;
        });
    }

    @Override
    public void release(QueueId id) throws IOException {
        exclusive(id, () -> {
            edits.release(id);
            return null;
        });
        accept(id, null);
    }

    @Override
    public int bounce(QueueId id) throws IOException {
        return exclusive(id, () -> edits.bounce(id));
    }

    @Override
    public void enqueued(QueueId id) throws IOException {
        if (!spool.exists(id)) {
            throw QueueRefusedException.noSuchMessage(id);
        }
        if (!spool.isHeld(id)) {
            accept(id, null);
        }
    }

    /** The queue as it stands on disk. */
    public List<QueuedMessage> list() throws IOException {
        return spool.list();
    }

    /**
     * Counts the queue: held messages and the oldest arrival from the spool directory's names (no file is
     * read), active and deferred from the runner's own slots.
     */
    public QueueCounts counts() throws IOException {
        List<QueueId> ids = spool.committed();
        int held = 0;
        for (QueueId id : ids) {
            held += spool.isHeld(id) ? 1 : 0;
        }
        int deferred = 0;
        lock.lock();
        try {
            for (Slot slot : slots.values()) {
                deferred += !slot.running && slot.timer != null ? 1 : 0;
            }
        } finally {
            lock.unlock();
        }
        int active = Math.max(0, ids.size() - held - deferred);
        return new QueueCounts(active, deferred, held, ids.isEmpty() ? null : ids.get(0).created().orElse(null));
    }

    /** Waits until no attempt is running or about to run; for orderly tests and shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops timers, lets running attempts finish (their state is written), and drops the rest to disk. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * As {@link #close()}, waiting at most {@code grace} for the attempts under way; those still running are
     * then interrupted. Each recipient's state is written before the next step, so what an interrupted attempt
     * had not finished is tried again after the restart, and nothing is lost.
     *
     * @return true when every attempt ended within {@code grace}
     */
    public boolean close(Duration grace) {
        lock.lock();
        try {
            closed = true;
            slots.values().forEach(Slot::cancelTimer);
            slots.clear();
        } finally {
            lock.unlock();
        }
        scheduler.close();
        executor.shutdown();
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** A spool edit that may fail. */
    private interface Edit<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code edit} while the runner leaves the message alone: its slot is taken out (timer cancelled),
     * hand-offs of it are ignored, and a running attempt of it is waited for. One edit per message at a time.
     */
    private <T> T exclusive(QueueId id, Edit<T> edit) throws IOException {
        lock.lock();
        try {
            while (claimed.contains(id)) {
                idle.awaitUninterruptibly();
            }
            claimed.add(id);
            Slot slot = slots.remove(id);
            if (slot != null) {
                slot.cancelTimer();
                while (slot.running) {
                    idle.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            return edit.run();
        } finally {
            lock.lock();
            try {
                claimed.remove(id);
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** When a recovered message was due: its recorded next attempt, or null (now) if never attempted. */
    private Instant retryTime(QueueId id) {
        try {
            return spool.loadState(id).map(DeliveryState::nextAttempt).orElse(null);
        } catch (IOException e) {
            return null; // unreadable state: attempt now; the attempt itself reports it
        }
    }

    /**
     * A newly committed or recovered message: attempt it at {@code at} (now if null or past) unless this
     * runner already has it (a commit racing the recovery scan).
     */
    private void accept(QueueId id, Instant at) {
        lock.lock();
        try {
            if (!closed && !slots.containsKey(id) && !claimed.contains(id)) {
                Slot slot = new Slot();
                slots.put(id, slot);
                if (at != null && at.isAfter(scheduler.now())) {
                    slot.timer = scheduler.schedule(at, () -> timerFired(id, slot));
                } else {
                    launch(id, slot);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Timer or flush: attempt now, or right after the attempt that is running. */
    private void due(QueueId id, Slot slot) {
        if (slot.running) {
            slot.again = true;
        } else {
            slot.cancelTimer();
            launch(id, slot);
        }
    }

    private void launch(QueueId id, Slot slot) {
        slot.running = true;
        running++;
        executor.execute(() -> run(id, slot));
    }

    private void run(QueueId id, Slot slot) {
        DeliveryState after = slot.state;
        boolean attempted = false;
        if (spool.isHeld(id)) { // held after it was scheduled: leave it until released
            finish(id, slot, null, true);
            return;
        }
        try {
            after = attempt.run(id, slot.state, scheduler.now());
            attempted = true;
        } catch (IOException | RuntimeException e) {
            MailLog.event(id.value(), "queue-error").with("reason", e.toString()).warn();
        }
        finish(id, slot, after, attempted);
    }

    private void finish(QueueId id, Slot slot, DeliveryState after, boolean attempted) {
        lock.lock();
        try {
            slot.running = false;
            slot.state = after;
            if (!closed && slots.get(id) == slot) {
                if (attempted && after == null) {
                    slots.remove(id);
                } else if (slot.again) {
                    slot.again = false;
                    launch(id, slot);
                } else {
                    Instant at = after != null && after.nextAttempt() != null ? after.nextAttempt()
                            : scheduler.now().plus(settings.retryInitial());
                    slot.timer = scheduler.schedule(at, () -> timerFired(id, slot));
                }
            }
            running--;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void timerFired(QueueId id, Slot slot) {
        lock.lock();
        try {
            if (!closed && slots.get(id) == slot) {
                due(id, slot);
            }
        } finally {
            lock.unlock();
        }
    }

    /** What this runner knows of one message between attempts. Guarded by {@link #lock}. */
    private static final class Slot {
        boolean running;
        boolean again;
        DelayScheduler.Cancellable timer;
        DeliveryState state;

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
