package dev.tern.policy.dkim;

import dev.tern.dns.DnsResult;
import dev.tern.mail.header.HeaderBlock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The conformance files under src/test/resources/dkim, and a key lookup serving their records without DNS. */
final class DkimTestData {

    /** The t= of the dkimpy-signed vectors: 2026-01-01T00:00:00Z. */
    static final long VECTOR_TIME = 1767225600L;
    static final List<String> MESSAGES = List.of("plain", "whitespace", "utf8-mime", "empty-body", "no-final-crlf");

    private DkimTestData() {
    }

    static Path root() {
        try {
            return Path.of(DkimTestData.class.getResource("/dkim/vectors.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.ISO_8859_1);
    }

    static PrivateKey privateKey(String relative, DkimAlgorithm algorithm) throws GeneralSecurityException {
        return DkimKeys.fromPem(text(relative), algorithm);
    }

    static DkimKey rsaKey() throws GeneralSecurityException {
        return new DkimKey("example.test", "rsa2048", DkimAlgorithm.RSA_SHA256,
                privateKey("keys/rsa2048.key", DkimAlgorithm.RSA_SHA256));
    }

    static DkimKey ed25519Key() throws GeneralSecurityException {
        return new DkimKey("example.test", "ed25519", DkimAlgorithm.ED25519_SHA256,
                privateKey("keys/ed25519.pkcs8.pem", DkimAlgorithm.ED25519_SHA256));
    }

    static Clock clockAt(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    /** Serves {@code NAME=@file} records (the file holds the bare TXT value); other names are NXDOMAIN. */
    static KeyLookup lookup(String... specs) {
        Map<String, List<String>> records = new HashMap<>();
        for (String spec : specs) {
            int at = spec.indexOf("=@");
            String name = spec.substring(0, at).toLowerCase(java.util.Locale.ROOT);
            records.computeIfAbsent(name, k -> new ArrayList<>()).add(text(spec.substring(at + 2)).strip());
        }
        return name -> records.containsKey(name) ? new DnsResult.Answer<>(records.get(name), false)
                : new DnsResult.NxDomain<>();
    }

    /** A lookup with one record for each name, given as values. */
    static KeyLookup records(Map<String, String> values) {
        return name -> values.containsKey(name) ? new DnsResult.Answer<>(List.of(values.get(name)), false)
                : new DnsResult.NxDomain<>();
    }

    record Vector(String file, boolean pass, List<String> keys, String note) {
    }

    static List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        for (String line : text("vectors.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t");
            out.add(new Vector(cols[0], cols[1].equals("pass"), List.of(cols[2].split(" ")), cols[3]));
        }
        return out;
    }

    static List<DkimResult> verify(byte[] message, KeyLookup lookup, long now) throws IOException {
        return new DkimVerifier(lookup, clockAt(now)).verify(new ByteArrayInputStream(message));
    }

    /** The value of tag {@code name} in the first DKIM-Signature of {@code message}, white space removed. */
    static String tag(String message, String name) {
        String field = HeaderBlock.parse(message).fields().stream().filter(f -> f.is("DKIM-Signature")).findFirst()
                .orElseThrow().value();
        Matcher m = Pattern.compile("(?:^|;)\\s*" + name + "=([^;]*)").matcher(field);
        if (!m.find()) {
            throw new AssertionError("no " + name + "= in " + field);
        }
        return m.group(1).replaceAll("\\s", "");
    }

    static byte[] concat(String prefix, byte[] message) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[p.length + message.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(message, 0, out, p.length, message.length);
        return out;
    }
}
