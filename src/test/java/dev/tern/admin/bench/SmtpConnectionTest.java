package dev.tern.admin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.protocol.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpConnectionTest {

    @Test
    void aRefusalIsDescribedOnOneLineWithItsEnhancedCode() {
        Reply r = new Reply(550, "5.1.1", List.of("no such user", "really"), false);
        assertThat(SmtpConnection.describe(r)).isEqualTo("550 5.1.1 no such user / 5.1.1 really");
        assertThat(SmtpConnection.describe(Reply.of(421, null, "bye"))).isEqualTo("421 bye");
    }

    @Test
    void onlyA2yzIsAnAcceptance() {
        assertThat(SmtpConnection.positive(Reply.of(250, "2.0.0", "ok"))).isTrue();
        assertThat(SmtpConnection.positive(Reply.of(354, null, "go on"))).isFalse();
        assertThat(SmtpConnection.positive(Reply.of(451, "4.3.0", "later"))).isFalse();
    }
}
