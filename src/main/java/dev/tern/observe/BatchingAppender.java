package dev.tern.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * logback.xml's asynchronous appender: a session hands its events to a queue and one writer thread passes them to
 * the appender behind (the console), so logging never waits for the output. Unlike Logback's AsyncAppender, the
 * writer is not woken for every event: it looks at the queue every {@code periodMillis} (20 by default), and at
 * once when the queue is half full.
 *
 * <p>Why: the mail log has two lines per message (accepted, delivered). Woken for each, the writer took two context
 * switches per message, and the session paid for waking it just before its 250 (docs/performance.md, "One
 * sequential session"); 50 looks a second cost nothing measurable. A line reaches the console at most a period
 * late; {@link #stop} (the server's stop) writes everything queued.
 *
 * <p>Under a flood, as AsyncAppender: once four fifths of the queue are taken, TRACE, DEBUG and INFO events are
 * dropped and WARN and above still queued; a full queue makes the logging thread wait for room.
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private int queueSize = 8192;
    private long periodMillis = 20;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    private volatile boolean stopping;

    /** The most events queued (logback.xml's {@code <queueSize>}). */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** How often the writer looks at the queue, in milliseconds (logback.xml's {@code <periodMillis>}). */
    public void setPeriodMillis(long periodMillis) {
        this.periodMillis = periodMillis;
    }

    @Override
    public void start() {
        if (queueSize < 2 || periodMillis < 1) {
            addError("queueSize must be at least 2 and periodMillis at least 1");
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("no appender to write to: add an appender-ref");
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        stopping = false;
        writer = Thread.ofPlatform().daemon().name("log-writer").start(this::writeLoop);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (queue.remainingCapacity() < queueSize / 5 && !event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return; // a flood: keep room for what matters
        }
        event.prepareForDeferredProcessing(); // the message and MDC as they are now, on this thread
        if (!queue.offer(event)) {
            LockSupport.unpark(writer);
            putWaiting(event);
        }
        if (queue.size() >= queueSize / 2) {
            LockSupport.unpark(writer);
        }
    }

    private void putWaiting(ILoggingEvent event) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (true) {
            queue.drainTo(batch);
            for (ILoggingEvent event : batch) {
                appenders.appendLoopOnAppenders(event);
            }
            batch.clear();
            if (stopping && queue.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(periodMillis));
        }
    }

    /** Writes what is queued, then stops the appenders behind. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no more events are taken
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
