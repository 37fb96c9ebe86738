package dev.tern.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy's "PROXY protocol" specification, versions 1 and 2) that a load balancer
 * sends before any byte of the client's own, naming the client it connected for.
 *
 * <p>The header is read without reading ahead: what follows it is the client's (a TLS ClientHello on an
 * implicit-TLS listener), and it must reach the session untouched. Version 1 is therefore read one octet at a
 * time up to its CRLF (at most 107 octets, §2.1), version 2 by its length field (§2.2). The two are told apart
 * by the first octet, as the specification advises a receiver that accepts both.
 *
 * @param source the client the proxy speaks for, or null when the header names none ({@code PROXY UNKNOWN},
 *               the version 2 {@code LOCAL} command a proxy's own health check sends, or an address family
 *               other than TCP over IPv4/IPv6): the connection is then taken as the proxy's own
 */
record ProxyHeader(InetSocketAddress source) {

    /** §2.1: "a receiver must not [need to] read more than 107 characters" for version 1. */
    static final int V1_MAX = 107;
    /** A bound on version 2's address block and TLVs: HAProxy's own TLVs (ALPN, SNI, SSL) fit many times over. */
    static final int V2_MAX_BODY = 4096;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A header that does not follow the specification; the connection is closed without a word of SMTP. */
    static final class Malformed extends IOException {
        Malformed(String reason) {
            super(reason);
        }
    }

    /** Reads one header, version 1 or 2, from the start of a connection. */
    static ProxyHeader read(InputStream in) throws IOException {
        int first = next(in);
        if (first == 'P') {
            return readV1(in);
        }
        if (first == V2_SIGNATURE[0]) {
            return readV2(in);
        }
        throw new Malformed("no PROXY header: the connection began with octet 0x" + Integer.toHexString(first));
    }

    private static ProxyHeader readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        line[0] = 'P';
        int length = 1;
        while (true) {
            int b = next(in);
            if (length == V1_MAX) {
                throw new Malformed("PROXY v1 header longer than " + V1_MAX + " octets");
            }
            line[length++] = (byte) b;
            if (b == '\n') {
                break;
            }
        }
        if (length < 2 || line[length - 2] != '\r') {
            throw new Malformed("PROXY v1 header not ended by CRLF");
        }
        return parseV1(new String(line, 0, length - 2, StandardCharsets.US_ASCII));
    }

    /** {@code PROXY TCP4 192.0.2.1 198.51.100.1 56324 25}, or {@code PROXY UNKNOWN ...}. */
    static ProxyHeader parseV1(String line) throws Malformed {
        String[] parts = line.split(" ", -1);
        if (!parts[0].equals("PROXY") || parts.length < 2) {
            throw new Malformed("PROXY v1 header must start with \"PROXY \"");
        }
        if (parts[1].equals("UNKNOWN")) {
            return new ProxyHeader(null); // §2.1: the receiver ignores what follows and uses the real addresses
        }
        boolean v4 = parts[1].equals("TCP4");
        if (!v4 && !parts[1].equals("TCP6")) {
            throw new Malformed("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN");
        }
        if (parts.length != 6) {
            throw new Malformed("PROXY v1 header must have source, destination and two ports");
        }
        InetAddress source = literal(parts[2], v4);
        literal(parts[3], v4);
        int sourcePort = port(parts[4]);
        port(parts[5]);
        return new ProxyHeader(new InetSocketAddress(source, sourcePort));
    }

    private static InetAddress literal(String text, boolean v4) throws Malformed {
        boolean shape = v4 ? text.matches("(\\d{1,3}\\.){3}\\d{1,3}") : text.matches("[0-9A-Fa-f:.]{2,45}") && text.contains(":");
        if (!shape) {
            throw new Malformed("PROXY v1 address is not an " + (v4 ? "IPv4" : "IPv6") + " literal");
        }
        try {
            InetAddress address = InetAddress.getByName(text); // a literal: no lookup happens
            if ((address.getAddress().length == 4) != v4) {
                throw new Malformed("PROXY v1 address is not an " + (v4 ? "IPv4" : "IPv6") + " literal");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new Malformed("PROXY v1 address is not an " + (v4 ? "IPv4" : "IPv6") + " literal");
        }
    }

    private static int port(String text) throws Malformed {
        // §2.1: ports are decimal, 0 to 65535, without leading zeros
        if (!text.matches("0|[1-9]\\d{0,4}") || Integer.parseInt(text) > 65535) {
            throw new Malformed("PROXY v1 port must be a number from 0 to 65535");
        }
        return Integer.parseInt(text);
    }

    private static ProxyHeader readV2(InputStream in) throws IOException {
        byte[] fixed = new byte[16];
        fixed[0] = V2_SIGNATURE[0];
        readFully(in, fixed, 1, 15);
        if (!Arrays.equals(fixed, 0, 12, V2_SIGNATURE, 0, 12)) {
            throw new Malformed("PROXY v2 signature is wrong");
        }
        int versionCommand = fixed[12] & 0xff;
        if (versionCommand >> 4 != 2) {
            throw new Malformed("PROXY v2 header has version " + (versionCommand >> 4));
        }
        int command = versionCommand & 0x0f;
        if (command > 1) {
            throw new Malformed("PROXY v2 command " + command + " is neither LOCAL nor PROXY");
        }
        int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
        if (length > V2_MAX_BODY) {
            throw new Malformed("PROXY v2 header body of " + length + " octets is over " + V2_MAX_BODY);
        }
        byte[] body = new byte[length];
        readFully(in, body, 0, length);
        if (command == 0) {
            return new ProxyHeader(null); // LOCAL: the proxy's own connection, such as a health check (§2.2)
        }
        return parseV2Addresses(fixed[13] & 0xff, body);
    }

    /** §2.2: family in the high nibble (1 INET, 2 INET6), transport in the low one (1 STREAM). */
    static ProxyHeader parseV2Addresses(int familyTransport, byte[] body) throws Malformed {
        int family = familyTransport >> 4;
        int transport = familyTransport & 0x0f;
        if ((family != 1 && family != 2) || transport != 1) {
            return new ProxyHeader(null); // UNSPEC or UNIX: no IP client to speak of, the proxy's own address
        }
        int size = family == 1 ? 4 : 16;
        if (body.length < 2 * size + 4) {
            throw new Malformed("PROXY v2 address block of " + body.length + " octets is too short");
        }
        try {
            InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(body, 0, size));
            int port = ((body[2 * size] & 0xff) << 8) | (body[2 * size + 1] & 0xff);
            return new ProxyHeader(new InetSocketAddress(source, port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection closed inside the PROXY header");
        }
        return b;
    }

    private static void readFully(InputStream in, byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("the connection closed inside the PROXY header");
            }
            done += n;
        }
    }
}
