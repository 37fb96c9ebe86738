package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Spool} must do, as the session relies on it (the Javadoc of {@link Spool.Draft}): the real
 * {@link FileSpool} and the session tests' in-memory fake both implement this, so the fake cannot drift from
 * the spool it stands for. A backend's test implements {@link #spool} and {@link #committed}.
 */
public interface SpoolContract {

    /** A committed message as the spool's readers (delivery, bounces, {@code tern queue show}) see it. */
    record Committed(QueueId id, Envelope envelope, String message, String holdReason, boolean junk) {
    }

    /** A fresh, empty spool. */
    Spool spool() throws Exception;

    /** Every message committed to {@code spool} (held ones too), in any order. */
    List<Committed> committed(Spool spool) throws Exception;

    Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static Envelope envelope(String... recipients) {
        return Envelopes.of(T0, "a@example.org", recipients);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Committed only(Spool spool, QueueId id) throws Exception {
        Optional<Committed> found = committed(spool).stream().filter(c -> c.id().equals(id)).findFirst();
        assertThat(found).as("message " + id + " is committed").isPresent();
        return found.get();
    }

    @Test
    default void aCommittedMessageKeepsItsContentAndEnvelope() throws Exception {
        Spool spool = spool();
        QueueId id;
        Envelope envelope = envelope("bob@example.com", "carol@example.net");
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("Subject: hi\r\n\r\nbody\r\n"));
            draft.commit(envelope);
        }
        Committed c = only(spool, id);
        assertThat(c.message()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(c.envelope()).isEqualTo(envelope);
        assertThat(c.holdReason()).isNull();
        assertThat(c.junk()).isFalse();
    }

    @Test
    default void eachDraftHasItsOwnIdFixedAtCreation() throws Exception {
        Spool spool = spool();
        Set<QueueId> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (Spool.Draft draft = spool.create()) {
                assertThat(draft.id()).isEqualTo(draft.id());
                ids.add(draft.id());
            }
        }
        assertThat(ids).hasSize(20);
    }

    @Test
    default void aDraftClosedUncommittedLeavesNothing() throws Exception {
        Spool spool = spool();
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes("Subject: never\r\n\r\n"));
        }
        Spool.Draft twice = spool.create();
        twice.close();
        twice.close(); // never throws
        assertThat(committed(spool)).isEmpty();
    }

    @Test
    default void nothingIsVisibleBeforeTheCommitAndClosingAfterItKeepsIt() throws Exception {
        Spool spool = spool();
        Spool.Draft draft = spool.create();
        draft.content().write(bytes("x\r\n"));
        assertThat(committed(spool)).isEmpty();
        draft.commit(envelope("bob@example.com"));
        draft.close();
        assertThat(committed(spool)).extracting(Committed::id).containsExactly(draft.id());
    }

    @Test
    default void openContentReadsBackWhatWasWrittenSoFar() throws Exception {
        Spool spool = spool();
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes("Received: x\r\n"));
            draft.prepend(bytes("X-Top: 1\r\n"));
            assertThat(read(draft)).as("prepended fields are not content").isEqualTo("Received: x\r\n");
            draft.content().write(bytes("Subject: y\r\n"));
            draft.omit(0, 2);
            assertThat(read(draft)).as("omitted ranges are still content").isEqualTo("Received: x\r\nSubject: y\r\n");
        }
    }

    @Test
    default void prependedFieldsGoAboveAndTheLastCallOnTop() throws Exception {
        Spool spool = spool();
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("Subject: hi\r\n\r\nbody\r\n"));
            draft.prepend(bytes("Authentication-Results: mx.example; spf=pass\r\n"));
            draft.prepend(bytes("X-First: 1\r\nX-Second: 2\r\n"));
            draft.commit(envelope("bob@example.com"));
        }
        assertThat(only(spool, id).message()).isEqualTo(
                "X-First: 1\r\nX-Second: 2\r\nAuthentication-Results: mx.example; spf=pass\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    default void prependedFieldsMustEndInCrlf() throws Exception {
        try (Spool.Draft draft = spool().create()) {
            assertThatThrownBy(() -> draft.prepend(bytes("X-Bad: 1\n"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.prepend(bytes("X-Bad: 1"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.prepend(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    default void omittedRangesAreLeftOutInAnyOrder() throws Exception {
        Spool spool = spool();
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("0123456789abcdef"));
            draft.omit(10, 2);
            draft.omit(0, 3);
            draft.omit(15, 1);
            draft.prepend(bytes("X-A: 1\r\n"));
            draft.commit(envelope("bob@example.com"));
        }
        assertThat(only(spool, id).message()).isEqualTo("X-A: 1\r\n3456789cde");
    }

    @Test
    default void aBadOrOverlappingRangeIsRefused() throws Exception {
        try (Spool.Draft draft = spool().create()) {
            draft.content().write(bytes("0123456789"));
            assertThatThrownBy(() -> draft.omit(-1, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.omit(2, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.omit(8, 3)).as("past the content").isInstanceOf(IllegalArgumentException.class);
            draft.omit(2, 4);
            assertThatThrownBy(() -> draft.omit(5, 2)).as("overlapping").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.omit(0, 3)).as("overlapping").isInstanceOf(IllegalArgumentException.class);
            draft.omit(6, 1); // touching is not overlapping
        }
    }

    @Test
    default void aHeldMessageIsCommittedWithItsReason() throws Exception {
        Spool spool = spool();
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("Subject: review me\r\n\r\n"));
            draft.hold("rule review");
            draft.commit(envelope("bob@example.com"));
        }
        assertThat(only(spool, id).holdReason()).isEqualTo("rule review");
    }

    @Test
    default void aJunkMessageIsCommittedAsJunk() throws Exception {
        Spool spool = spool();
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("Subject: quarantined\r\n\r\n"));
            draft.deliverToJunk();
            draft.commit(envelope("bob@example.com"));
        }
        assertThat(only(spool, id).junk()).isTrue();
    }

    @Test
    default void anEnvelopeWithoutRecipientsIsRefusedAndNothingIsCommitted() throws Exception {
        Spool spool = spool();
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes("x\r\n"));
            assertThatThrownBy(() -> draft.commit(envelope())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(committed(spool)).isEmpty();
    }

    @Test
    default void aDraftIsDoneAfterItsCommitOrClose() throws Exception {
        Spool spool = spool();
        Spool.Draft committedDraft = spool.create();
        committedDraft.content().write(bytes("x\r\n"));
        committedDraft.commit(envelope("bob@example.com"));
        Spool.Draft closedDraft = spool.create();
        closedDraft.close();
        for (Spool.Draft done : List.of(committedDraft, closedDraft)) {
            assertThatThrownBy(() -> done.commit(envelope("bob@example.com"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> done.prepend(bytes("X-Late: 1\r\n"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> done.omit(0, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> done.hold("late")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(done::deliverToJunk).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(done::openContent).isInstanceOf(IllegalStateException.class);
        }
        assertThat(committed(spool)).hasSize(1);
    }

    private static String read(Spool.Draft draft) throws IOException {
        try (InputStream in = draft.openContent()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
