package dev.tern.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyCodeTest {

    private static Verdict parse(String text) {
        return ReplyCode.parse((text + "\0").getBytes(StandardCharsets.UTF_8), "m");
    }

    @Test
    void validRepliesKeepTheMiltersCodeAndText() {
        assertThat(parse("554 5.7.1 Gtube pattern")).isEqualTo(new Verdict(Verdict.Action.REJECT, 554, "5.7.1",
                java.util.List.of("Gtube pattern"), "m"));
        assertThat(parse("451 Try later").enhanced()).isEqualTo("4.7.1");
        assertThat(parse("450-4.2.0 a\r\n450 4.2.0 b").lines()).containsExactly("a", "b");
    }

    @Test
    void invalidRepliesAreRefused() {
        assertThat(parse("250 2.0.0 ok")).isNull();
        assertThat(parse("550 4.7.1 wrong class")).isNull();
        assertThat(parse("550-5.7.1 a\r\n551 5.7.1 b")).isNull();
        assertThat(parse("550-5.7.1 last line must not continue")).isNull();
        assertThat(parse("550 5.7.1 bell\u0007")).isNull();
        assertThat(parse("nonsense")).isNull();
    }
}
