package dev.tern.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events reach the appender behind in order, within a period, all of them by the stop; a flood keeps warnings. */
class BatchingAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("tern.mail");

    BatchingAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's provider gives the server's context
    }

    @Test
    void eventsArriveInOrderWithinAFewPeriods() throws Exception {
        ListAppender<ILoggingEvent> behind = started(new ListAppender<>());
        BatchingAppender batching = batching(behind, 1024, 20);

        for (int i = 0; i < 100; i++) {
            batching.doAppend(event(Level.INFO, "line " + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (behind.list.size() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        assertThat(behind.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "line " + i).toList());
        batching.stop();
    }

    @Test
    void theStopWritesEverythingQueued() {
        ListAppender<ILoggingEvent> behind = started(new ListAppender<>());
        BatchingAppender batching = batching(behind, 1024, 60_000); // the writer would not look again for a minute
        waitUntilTheWriterSleeps();

        batching.doAppend(event(Level.INFO, "accepted"));
        batching.doAppend(event(Level.INFO, "delivered"));
        batching.stop();

        assertThat(behind.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("accepted", "delivered");
        assertThat(behind.isStarted()).isFalse();
    }

    @Test
    void aFloodDropsInformationButKeepsWarnings() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ListAppender<ILoggingEvent> behind = started(new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                writing.countDown();
                awaitQuietly(release); // a console that does not keep up
                super.append(event);
            }
        });
        BatchingAppender batching = batching(behind, 10, 5);
        batching.doAppend(event(Level.INFO, "first"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer is stuck on it

        for (int i = 0; i < 10; i++) {
            batching.doAppend(event(Level.INFO, "info " + i));
        }
        batching.doAppend(event(Level.WARN, "warning"));
        release.countDown();
        batching.stop();

        // With eight of ten places taken INFO is dropped (info 9); the warning still has a place.
        assertThat(behind.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("first", "info 0",
                "info 1", "info 2", "info 3", "info 4", "info 5", "info 6", "info 7", "info 8", "warning");
    }

    private BatchingAppender batching(ListAppender<ILoggingEvent> behind, int queueSize, long periodMillis) {
        BatchingAppender batching = new BatchingAppender();
        batching.setContext(context);
        batching.setQueueSize(queueSize);
        batching.setPeriodMillis(periodMillis);
        batching.addAppender(behind);
        batching.start();
        assertThat(batching.isStarted()).isTrue();
        return batching;
    }

    private <T extends ListAppender<ILoggingEvent>> T started(T appender) {
        appender.setContext(context);
        appender.start();
        return appender;
    }

    private ILoggingEvent event(Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
    }

    /** The writer looks once when it starts; give it that look, so the next is a period away. */
    private static void waitUntilTheWriterSleeps() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
