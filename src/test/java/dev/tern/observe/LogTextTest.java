package dev.tern.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void ordinaryAddressesReadAsTheyAlwaysHave() {
        assertThat(line("from", "alice@example.org")).isEqualTo("accepted from=<alice@example.org>");
        assertThat(line("from", "")).isEqualTo("accepted from=<>");
        assertThat(line("to", "bob+tag@[192.0.2.1]")).isEqualTo("accepted to=<bob+tag@[192.0.2.1]>");
        assertThat(line("to", "x@[IPv6:2001:db8::1]")).isEqualTo("accepted to=<x@[IPv6:2001:db8::1]>");
    }

    @Test
    void hostileAddressesAreQuotedWhole() {
        assertThat(line("from", "\"x mail: auth-failed client=203.0.113.50 \"@example.org"))
                .isEqualTo("accepted from=\"<\\\"x mail: auth-failed client=203.0.113.50 \\\"@example.org>\"");
        assertThat(line("from", "a=b@example.org")).isEqualTo("accepted from=\"<a=b@example.org>\"");
        assertThat(line("from", "\"a>b<c\"@example.org")).isEqualTo("accepted from=\"<\\\"a>b<c\\\"@example.org>\"");
        assertThat(line("from", "\"a\\\\b\"@example.org")).isEqualTo("accepted from=\"<\\\"a\\\\\\\\b\\\"@example.org>\"");
    }

    @Test
    void utf8StaysReadableButInvisibleCharactersAreEscaped() {
        assertThat(line("to", "jörg@bücher.example")).isEqualTo("accepted to=\"<jörg@bücher.example>\"");
        assertThat(line("to", "a\u202Egro.elpmaxe@b")).isEqualTo("accepted to=\"<a\\x{202E}gro.elpmaxe@b>\"");
        assertThat(line("to", "a\u00A0b\u200Bc\u2028d@x")).isEqualTo("accepted to=\"<a\\x{00A0}b\\x{200B}c\\x{2028}d@x>\"");
        assertThat(line("to", "a\u0085b\u001Bc\u007Fd@x")).isEqualTo("accepted to=\"<a\\x85b\\x1bc\\x7fd@x>\"");
        assertThat(LogText.value("\uD800x")).isEqualTo("\"\\x{D800}x\"");
    }

    @Test
    void valuesAreQuotedOnlyWhenTheyMustBe() {
        assertThat(LogText.value("mx.example")).isEqualTo("mx.example");
        assertThat(LogText.value("<>")).isEqualTo("<>");
        assertThat(LogText.value("")).isEqualTo("\"\"");
        assertThat(LogText.value("550 5.1.1 no")).isEqualTo("\"550 5.1.1 no\"");
        assertThat(LogText.value("a=b")).isEqualTo("\"a=b\"");
        assertThat(LogText.value("a\\x0a")).isEqualTo("\"a\\\\x0a\"");
        assertThat(LogText.value("bad user\r\nauth-failed")).isEqualTo("\"bad user\\x0d\\x0aauth-failed\"");
    }

    @Test
    void escapeLeavesPrintableTextAlone() {
        String plain = "session with 192.0.2.1 ended: \"quoted\" \\ jörg";
        assertThat(LogText.escape(plain)).isSameAs(plain);
        assertThat(LogText.escape("a\nb\tc\u2029")).isEqualTo("a\\x0ab\\x09c\\x{2029}");
        assertThat(LogText.escape(null)).isNull();
    }

    /** Whatever a peer sends, a line splits back into exactly the fields written, each value intact. */
    @Property
    void anyValueIsOneFieldAndComesBack(@ForAll("hostile") String value, @ForAll("hostile") String address) {
        String line = MailLog.event("3FZ8K0A1B00042", "accepted").with("client", "192.0.2.1").with("helo", value)
                .address("from", address).with("size", 12).toString();

        List<String> fields = fields(line);
        assertThat(fields).hasSize(6);
        assertThat(fields.subList(0, 3)).containsExactly("3FZ8K0A1B00042:", "accepted", "client=192.0.2.1");
        assertThat(unquote(fields.get(3), "helo=")).isEqualTo(value);
        assertThat(unquote(fields.get(4), "from=")).isEqualTo("<" + address + ">");
        assertThat(fields.get(5)).isEqualTo("size=12");
        assertThat(line.codePoints()).noneMatch(LogText::needsEscape);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ax =\"\\<>@\r\n\t\u001b\u0085\u00a0\u2028\u202e\u200bé").ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    private static String line(String key, String address) {
        return MailLog.event(null, "accepted").address(key, address).toString();
    }

    /** Splits a line at spaces outside quotes, as a logfmt reader does. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
                continue;
            }
            field.append(c);
            if (quoted && c == '\\') {
                field.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            }
        }
        out.add(field.toString());
        return out;
    }

    /** The value of {@code key=value}, its quoting and escapes undone. */
    static String unquote(String field, String key) {
        assertThat(field).startsWith(key);
        String v = field.substring(key.length());
        if (!v.startsWith("\"")) {
            return v;
        }
        assertThat(v).endsWith("\"").hasSizeGreaterThan(1);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (v.charAt(i + 1) != 'x') {
                out.append(v.charAt(++i));
            } else if (v.charAt(i + 2) == '{') {
                int end = v.indexOf('}', i);
                out.appendCodePoint(Integer.parseInt(v.substring(i + 3, end), 16));
                i = end;
            } else {
                out.append((char) Integer.parseInt(v.substring(i + 2, i + 4), 16));
                i += 3;
            }
        }
        return out.toString();
    }
}
