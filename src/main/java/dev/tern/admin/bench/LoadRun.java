package dev.tern.admin.bench;

import dev.tern.smtp.protocol.Reply;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the load, like Postfix's smtp-source: {@code connections} clients on virtual threads take message
 * numbers from one counter until all are taken; each sends up to {@code perConnection} messages over a
 * connection, then QUITs and connects again.
 */
public final class LoadRun {

    /** How many refusals the report quotes. */
    static final int FAILURES_KEPT = 5;

    private final BenchPlan plan;
    private final MessageFactory messages;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final ReentrantLock failureLock = new ReentrantLock();
    private final List<String> firstFailures = new ArrayList<>();

    public LoadRun(BenchPlan plan, MessageFactory messages) {
        this.plan = plan;
        this.messages = messages;
    }

    /** Sends every message and waits for the last reply. */
    public BenchResult run() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<Future<Latencies>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < plan.connections(); i++) {
                workers.add(threads.submit(this::work));
            }
        } // close() waits for every worker
        long elapsed = System.nanoTime() - t0;
        Latencies all = new Latencies();
        for (Future<Latencies> w : workers) {
            all.addAll(w.resultNow());
        }
        return new BenchResult(plan.messages(), accepted.get(), failed.get(), connections.get(), started,
                elapsed, all, snapshotFailures());
    }

    /** One client: claims a message number, sends it, and reconnects every {@code perConnection} messages. */
    private Latencies work() {
        Latencies mine = new Latencies();
        SmtpConnection conn = null;
        int sentOnConnection = 0;
        try {
            for (long i = next.getAndIncrement(); i < plan.messages(); i = next.getAndIncrement()) {
                try {
                    if (conn == null) {
                        connections.incrementAndGet();
                        conn = SmtpConnection.open(plan.host(), plan.port(), plan.timeout(), "bench.invalid");
                        sentOnConnection = 0;
                    }
                    conn = sendOne(conn, i, mine);
                    sentOnConnection++;
                    if (conn != null && sentOnConnection >= plan.perConnection()) {
                        conn.quit();
                        conn = null;
                    }
                } catch (IOException e) {
                    fail(i, describe(e));
                    if (conn != null) {
                        conn.close();
                        conn = null;
                    }
                }
            }
        } finally {
            if (conn != null) {
                conn.quit();
            }
        }
        return mine;
    }

    /** Sends message {@code i}; returns the connection to go on with, or null when the server closed it. */
    private SmtpConnection sendOne(SmtpConnection conn, long i, Latencies mine) throws IOException {
        byte[] text = messages.wireMessage(i);
        List<String> rcpts = messages.recipients(i);
        long start = System.nanoTime();
        Optional<Reply> refusal = conn.send(messages.sender(), rcpts, text, plan.pipelining());
        long latency = System.nanoTime() - start;
        if (refusal.isEmpty()) {
            accepted.incrementAndGet();
            mine.add(latency);
            return conn;
        }
        fail(i, SmtpConnection.describe(refusal.get()));
        if (refusal.get().code() == 421) { // RFC 5321 §3.8: the server is closing the connection
            conn.close();
            return null;
        }
        conn.reset();
        return conn;
    }

    private void fail(long index, String why) {
        failed.incrementAndGet();
        failureLock.lock();
        try {
            if (firstFailures.size() < FAILURES_KEPT) {
                firstFailures.add("message " + index + ": " + why);
            }
        } finally {
            failureLock.unlock();
        }
    }

    private List<String> snapshotFailures() {
        failureLock.lock();
        try {
            return List.copyOf(firstFailures);
        } finally {
            failureLock.unlock();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof SmtpConnection.UnexpectedReply r) {
            return SmtpConnection.describe(r.reply());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
