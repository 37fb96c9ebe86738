package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordInputTest {

    private static char[] read(byte[] stdin) throws Exception {
        return PasswordInput.stream(new ByteArrayInputStream(stdin)).read("alice@localhost");
    }

    private static char[] read(String stdin) throws Exception {
        return read(stdin.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneLineIsThePassword() throws Exception {
        assertThat(read("s3cret\nsecond line\n")).containsExactly("s3cret".toCharArray());
        assertThat(read("with CRLF\r\n")).containsExactly("with CRLF".toCharArray());
        assertThat(read("no newline")).containsExactly("no newline".toCharArray());
        assertThat(read(" spaces kept ")).containsExactly(" spaces kept ".toCharArray());
        assertThat(read("pässwörd\n")).containsExactly("pässwörd".toCharArray());
    }

    @Test
    void emptyMissingOverlongOrMalformedInputIsRefused() {
        assertThatThrownBy(() -> read("\n")).isInstanceOf(UserError.class).hasMessage("empty password refused");
        assertThatThrownBy(() -> read("\r\n")).isInstanceOf(UserError.class).hasMessage("empty password refused");
        assertThatThrownBy(() -> read("")).isInstanceOf(UserError.class).hasMessageContaining("no password");
        assertThatThrownBy(() -> read("x".repeat(1025))).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> read(new byte[] {'a', (byte) 0xC3, '\n'})).hasMessageContaining("not valid UTF-8");
    }
}
