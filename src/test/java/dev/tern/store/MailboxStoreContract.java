package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MailboxStore} backend must do. A backend's test implements this interface and provides a
 * fresh store and a way to read a user's messages back.
 */
public interface MailboxStoreContract {

    /** A store with no messages, fresh for each test. */
    MailboxStore store() throws IOException;

    /** The messages in the user's inbox, in any order, as stored. */
    List<byte[]> messagesOf(String user) throws IOException;

    @Test
    default void storesThePrefixThenTheContentExactly() throws IOException {
        byte[] prefix = "Return-Path: <a@example.org>\r\nDelivered-To: bob@example.com\r\n".getBytes(US);
        byte[] content = "Subject: hi\r\n\r\n.leading dot\r\nbare\n LF and \0 NUL kept as is\r\n".getBytes(US);
        String where = store().deliver("bob@example.com", prefix, new ByteArrayInputStream(content));
        assertThat(where).isNotBlank();
        assertThat(messagesOf("bob@example.com")).singleElement()
                .isEqualTo(concat(prefix, content));
    }

    @Test
    default void eachDeliveryIsAMessageOfItsOwn() throws IOException {
        MailboxStore store = store();
        String first = store.deliver("bob@example.com", new byte[0], stream("one\r\n"));
        String second = store.deliver("bob@example.com", new byte[0], stream("two\r\n"));
        assertThat(first).isNotEqualTo(second);
        assertThat(messagesOf("bob@example.com")).extracting(b -> new String(b, US))
                .containsExactlyInAnyOrder("one\r\n", "two\r\n");
    }

    @Test
    default void usersAndDomainsAreKeptApart() throws IOException {
        MailboxStore store = store();
        store.deliver("bob@example.com", new byte[0], stream("for bob\r\n"));
        store.deliver("bob@example.org", new byte[0], stream("for the other bob\r\n"));
        assertThat(messagesOf("bob@example.com")).extracting(b -> new String(b, US)).containsExactly("for bob\r\n");
        assertThat(messagesOf("bob@example.org")).extracting(b -> new String(b, US))
                .containsExactly("for the other bob\r\n");
        assertThat(messagesOf("carol@example.com")).isEmpty();
    }

    @Test
    default void largeContentIsStoredWhole() throws IOException {
        byte[] content = new byte[5 * 1024 * 1024 + 3];
        new Random(42).nextBytes(content);
        store().deliver("bob@example.com", "X: y\r\n".getBytes(US), new ByteArrayInputStream(content));
        assertThat(messagesOf("bob@example.com")).singleElement()
                .isEqualTo(concat("X: y\r\n".getBytes(US), content));
    }

    @Test
    default void refusesUserNamesThatCouldEscape() throws IOException {
        MailboxStore store = store();
        for (String bad : List.of("../etc@example.com", "a/b@example.com", "bob@../x", "bob@ex/ample.com",
                ".hidden@example.com", "bob@.example.com", "a\0b@example.com", "..@example.com", "bob", "@example.com",
                "bob@")) {
            assertThatThrownBy(() -> store.deliver(bad, new byte[0], stream("x\r\n")))
                    .as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    default void aFolderKeepsItsMessagesOutOfTheInbox() throws IOException {
        MailboxStore store = store();
        store.deliver("bob@example.com", "Junk", new byte[0], stream("quarantined\r\n"));
        store.deliver("bob@example.com", "Junk", new byte[0], stream("again\r\n"));
        assertThat(messagesOf("bob@example.com")).isEmpty();
        assertThat(messagesOf("bob@example.com", "Junk")).extracting(b -> new String(b, US))
                .containsExactlyInAnyOrder("quarantined\r\n", "again\r\n");
    }

    @Test
    default void refusesFolderNamesThatCouldEscape() throws IOException {
        MailboxStore store = store();
        for (String bad : List.of("../x", ".Junk", "a/b", "", "a.b", "Junk\0")) {
            assertThatThrownBy(() -> store.deliver("bob@example.com", bad, new byte[0], stream("x\r\n")))
                    .as(bad).isInstanceOf(IOException.class);
        }
    }

    /** The messages in one folder of the user's mailbox. */
    List<byte[]> messagesOf(String user, String folder) throws IOException;

    java.nio.charset.Charset US = StandardCharsets.UTF_8;

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(US));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
