package dev.tern.admin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {

    @Test
    void messagesHaveAboutTheAskedSizeAndShortCrlfLines() {
        for (int size : new int[] {200, 1024, 102_400}) {
            byte[] wire = new MessageFactory("a@localhost", "b@localhost", 1, 1, size).wireMessage(12);
            String text = new String(wire, StandardCharsets.US_ASCII);

            assertThat(text).endsWith("\r\n");
            List<String> lines = Arrays.asList(text.split("\r\n", -1)).subList(0, text.split("\r\n", -1).length - 1);
            assertThat(lines).allSatisfy(l -> {
                assertThat(l.length()).isLessThanOrEqualTo(78);
                assertThat(l).doesNotContain("\r", "\n");
            });
            long dots = lines.stream().filter(l -> l.startsWith("..")).count(); // stuffed dots add one octet each
            assertThat(wire.length - dots).isBetween((long) size - 2, (long) size + 80);
        }
    }

    @Test
    void headersNameSenderRecipientsDateAndMessageId() {
        MessageFactory f = new MessageFactory("from@localhost", "u%d@localhost", 2, 2, 500);
        String text = new String(f.wireMessage(3), StandardCharsets.US_ASCII);

        assertThat(text).startsWith("Date: ")
                .contains("\r\nFrom: <from@localhost>\r\n")
                .contains("\r\nTo: <u1@localhost>,\r\n <u2@localhost>\r\n")
                .contains("\r\nMessage-ID: <")
                .contains("\r\n\r\n..\r\n...two dots");
    }

    @Test
    void theUserNumberCyclesThroughAllUsers() {
        MessageFactory f = new MessageFactory("a@x", "user%d@localhost", 2, 5, 100);

        assertThat(f.recipients(0)).containsExactly("user1@localhost", "user2@localhost");
        assertThat(f.recipients(1)).containsExactly("user3@localhost", "user4@localhost");
        assertThat(f.recipients(2)).containsExactly("user5@localhost", "user1@localhost");
    }

    @Test
    void refusesRecipientListsThatWouldRepeatAnAddress() {
        assertThatThrownBy(() -> new MessageFactory("a@x", "b@x", 2, 2, 100)).hasMessageContaining("%d");
        assertThatThrownBy(() -> new MessageFactory("a@x", "b%d@x", 3, 2, 100)).hasMessageContaining("users");
    }

    @Test
    void stuffingDoublesOnlyALeadingDot() {
        byte[] wire = MessageFactory.stuff(List.of(".", "a.b", ".x"));

        assertThat(new String(wire, StandardCharsets.US_ASCII)).isEqualTo("..\r\na.b\r\n..x\r\n");
    }
}
