package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProxyHeaderTest {

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @Test
    void versionOneTcp4NamesTheSourceAndLeavesWhatFollowsUnread() throws Exception {
        ByteArrayInputStream in = stream("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\nEHLO x\r\n");
        ProxyHeader header = ProxyHeader.read(in);
        assertThat(header.source()).isEqualTo(new InetSocketAddress("192.0.2.7", 56324));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EHLO x\r\n");
    }

    @Test
    void versionOneTcp6AndUnknown() throws Exception {
        assertThat(ProxyHeader.read(stream("PROXY TCP6 2001:db8::1 2001:db8::2 4000 25\r\n")).source())
                .isEqualTo(new InetSocketAddress("2001:db8::1", 4000));
        assertThat(ProxyHeader.read(stream("PROXY UNKNOWN\r\n")).source()).isNull();
        assertThat(ProxyHeader.read(stream("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")).source()).isNull();
    }

    @Test
    void versionOneOfTheLongestLegalLengthIsRead() throws Exception {
        String max = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        assertThat(max).hasSize(ProxyHeader.V1_MAX - 3);
        assertThat(ProxyHeader.read(stream(max)).source().getPort()).isEqualTo(65535);
    }

    @Test
    void malformedVersionOneHeadersAreRefusedWithTheReason() {
        assertRefused("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\n", "not ended by CRLF");
        assertRefused("PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n", "source, destination and two ports");
        assertRefused("PROXY TCP4 2001:db8::1 198.51.100.1 1 25\r\n", "not an IPv4 literal");
        assertRefused("PROXY TCP6 192.0.2.7 2001:db8::2 1 25\r\n", "not an IPv6 literal");
        assertRefused("PROXY TCP4 192.0.2.999 198.51.100.1 1 25\r\n", "not an IPv4 literal");
        assertRefused("PROXY TCP4 mx.example 198.51.100.1 1 25\r\n", "not an IPv4 literal");
        assertRefused("PROXY TCP4 192.0.2.7 198.51.100.1 065 25\r\n", "port must be a number");
        assertRefused("PROXY TCP4 192.0.2.7 198.51.100.1 70000 25\r\n", "port must be a number");
        assertRefused("PROXY UDP4 192.0.2.7 198.51.100.1 1 25\r\n", "TCP4, TCP6 or UNKNOWN");
        assertRefused("PROXYTCP4\r\n", "must start with \"PROXY \"");
        assertRefused("PROXY " + "x".repeat(120) + "\r\n", "longer than 107 octets");
        assertRefused("EHLO client.example\r\n", "no PROXY header");
    }

    @Test
    void aHeaderCutShortIsAnEndOfStream() {
        assertThatThrownBy(() -> ProxyHeader.read(stream("PROXY TCP4 192.0.2.7"))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> ProxyHeader.read(new ByteArrayInputStream(new byte[] {0x0D, 0x0A, 0x0D})))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void versionTwoInetAndInet6NameTheSource() throws Exception {
        byte[] v4 = {(byte) 192, 0, 2, 7, (byte) 198, 51, 100, 1, (byte) 0xDB, 0x04, 0, 25};
        ByteArrayInputStream in = new ByteArrayInputStream(concat(v2(0x21, 0x11, v4), "EHLO".getBytes()));
        assertThat(ProxyHeader.read(in).source()).isEqualTo(new InetSocketAddress("192.0.2.7", 0xDB04));
        assertThat(in.readAllBytes()).isEqualTo("EHLO".getBytes());

        byte[] v6 = new byte[36];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 1;
        v6[33] = 7;
        assertThat(ProxyHeader.read(new ByteArrayInputStream(v2(0x21, 0x21, v6))).source())
                .isEqualTo(new InetSocketAddress("2001:db8::1", 7));
    }

    @Test
    void versionTwoTlvsAfterTheAddressesAreSkippedNotServed() throws Exception {
        byte[] body = concat(new byte[] {10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0, 25},
                new byte[] {0x01, 0x00, 0x02, 'h', '2'}); // PP2_TYPE_ALPN "h2"
        ByteArrayInputStream in = new ByteArrayInputStream(concat(v2(0x21, 0x11, body), "X".getBytes()));
        assertThat(ProxyHeader.read(in).source()).isEqualTo(new InetSocketAddress("10.0.0.1", 80));
        assertThat(in.readAllBytes()).isEqualTo("X".getBytes());
    }

    @Test
    void versionTwoLocalUnspecAndUnixNameNoClient() throws Exception {
        assertThat(ProxyHeader.read(new ByteArrayInputStream(v2(0x20, 0x00, new byte[0]))).source()).isNull();
        assertThat(ProxyHeader.read(new ByteArrayInputStream(v2(0x21, 0x00, new byte[0]))).source()).isNull();
        assertThat(ProxyHeader.read(new ByteArrayInputStream(v2(0x21, 0x31, new byte[216]))).source()).isNull();
    }

    @Test
    void malformedVersionTwoHeadersAreRefusedWithTheReason() {
        byte[] wrongSignature = v2(0x21, 0x11, new byte[12]);
        wrongSignature[5] = 0x00;
        assertRefused(wrongSignature, "signature is wrong");
        assertRefused(v2(0x11, 0x11, new byte[12]), "version 1");
        assertRefused(v2(0x22, 0x11, new byte[12]), "command 2");
        assertRefused(v2(0x21, 0x11, new byte[8]), "too short");
        assertRefused(v2(0x21, 0x21, new byte[20]), "too short");
        assertRefused(v2(0x21, 0x11, new byte[ProxyHeader.V2_MAX_BODY + 1]), "is over 4096");
    }

    private static void assertRefused(String header, String reason) {
        assertRefused(header.getBytes(StandardCharsets.US_ASCII), reason);
    }

    private static void assertRefused(byte[] header, String reason) {
        assertThatThrownBy(() -> ProxyHeader.read(new ByteArrayInputStream(header)))
                .isInstanceOf(ProxyHeader.Malformed.class).hasMessageContaining(reason);
    }

    private static byte[] v2(int versionCommand, int familyTransport, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionCommand);
        out.write(familyTransport);
        out.write(body.length >> 8);
        out.write(body.length & 0xff);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
