package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testdns.Unbound;
import dev.tern.testmta.PostfixPeer;
import dev.tern.testmta.PostfixSettings;
import dev.tern.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The Postfix side of {@link DaneDeliveryIT} and what the cases check on both sides: the message stored over TLS,
 * or deferred with nothing sent; and, whatever happened, no MAIL command in a session without TLS.
 */
final class DaneFarSide {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private DaneFarSide() {
    }

    /** Postfix as {@code mx.<domain>}, taking bob@domain's mail, presenting {@code cert} and its CA after STARTTLS. */
    static PostfixPeer postfix(Path dir, String domain, TestPki.Issued cert) throws Exception {
        return postfix(dir, domain, "mx." + domain, cert);
    }

    /** Postfix greeting as {@code hostname}, taking bob@domain's mail, presenting {@code cert} and its CA. */
    static PostfixPeer postfix(Path dir, String domain, String hostname, TestPki.Issued cert) throws Exception {
        Path files = Files.createDirectories(dir.resolve("postfix-" + domain));
        Path chain = files.resolve("chain.pem");
        Path key = files.resolve("key.pem");
        TestPki.write(cert, TestPki.KeyForm.PKCS8, chain, key);
        return PostfixPeer.start(PostfixSettings.forDomain(domain, hostname).withMailbox("bob")
                .withCertificate(chain, key));
    }

    /** The TLSA owner name of an MX host's SMTP server at {@code port}, relative to its zone. */
    static String tlsaOwner(String relativeHost, int port) {
        return "_" + port + "._tcp." + relativeHost;
    }

    static String spkiSha256(X509Certificate cert) {
        return sha256(cert.getPublicKey().getEncoded());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until unbound answers the TLSA query at {@code name} with {@code record} (its cache of the old RRset
     * has expired); Tern's own cache got the old answer from unbound no later, so it has expired too.
     */
    static void awaitTlsa(Unbound unbound, String name, String record, Duration timeout) throws Exception {
        SimpleResolver resolver = new SimpleResolver(unbound.address());
        resolver.setTimeout(Duration.ofSeconds(2));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.TLSA, DClass.IN));
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Message answer = resolver.send(query);
            List<Record> records = answer.getSection(Section.ANSWER);
            last = Rcode.string(answer.getRcode()) + " " + records;
            if (records.stream().anyMatch(r -> r.getType() == Type.TLSA
                    && normal(r.rdataToString()).equals(normal(record)))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("unbound still answers " + last + " for " + name + "\n" + unbound.log());
    }

    private static String normal(String rdata) {
        return rdata.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Postfix stored the message over TLS, Tern's mail log says it went under {@code policy}, and Tern's queue let
     * it go.
     */
    static void assertDelivered(PostfixPeer postfix, Outbound.MailLogLines log, Tern tern, String id, String to,
                                String policy) throws Exception {
        List<String> stored = postfix.awaitMessages(1, WAIT);
        assertThat(stored).as(String.join("\n", log.lines())).singleElement().asString()
                .contains("Delivered-To: " + to + "\n")
                .containsPattern("\\(using TLSv1\\.[23] with cipher ")
                .contains("by " + postfix.settings().hostname() + " (Postfix) with ESMTPS id ")
                .endsWith("\nHello over DANE.\n");
        String sent = log.await(l -> l.startsWith(id + ": smtp-sent"), WAIT).orElseThrow();
        assertThat(sent).contains("relay=" + postfix.settings().hostname() + "[127.0.0.1]:" + postfix.port())
                .containsPattern("tls=TLSv1\\.[23]:TLS_\\w+").contains("tls-policy=" + policy)
                .contains("accepted=1");
        assertThat(log.await(l -> l.startsWith(id + ": delivered to=<" + to + ">"), WAIT)).isPresent();
        String data = tern.config().dataDir().toString();
        assertThat(Outbound.await(() -> !Outbound.tern("queue", "list", "--data", data).out().contains(id), WAIT))
                .as("Tern's queue lets the message go").isTrue();
    }

    /** Tern deferred the recipient with 4.7.5 and this reason, in its mail log and in its queue. */
    static void assertDeferred(Outbound.MailLogLines log, Tern tern, String id, String to, String reason)
            throws Exception {
        String deferred = log.await(l -> l.startsWith(id + ": deferred to=<" + to + ">"), WAIT)
                .orElseThrow(() -> new AssertionError(String.join("\n", log.lines())));
        assertThat(deferred).contains("status=4.7.5").contains(reason);
        // The mail-log line is written as the attempt ends; the recipient's state reaches the queue file just after.
        String data = tern.config().dataDir().toString();
        String expected = "deferred  <" + to + ">  4.7.5 " + reason;
        Outbound.await(() -> Outbound.tern("queue", "list", "--data", data).out().contains(expected), WAIT);
        assertThat(Outbound.tern("queue", "list", "--data", data).out()).contains(id).contains(expected);
    }

    /**
     * Tern's session ended without a transaction: no queue file ("client="), no
     * MAIL or DATA in Postfix's count of the session's commands, nothing stored.
     */
    static void assertNothingReachedPostfix(PostfixPeer postfix) throws Exception {
        assertThat(postfix.awaitLog(l -> l.contains(" disconnect from ") && l.contains(" ehlo="), WAIT))
                .as("Tern's session has ended").isPresent();
        assertThat(postfix.log()).noneMatch(l -> l.contains(": client="));
        assertThat(disconnects(postfix)).noneMatch(l -> l.contains(" mail=") || l.contains(" data="));
        assertThat(postfix.maildirMessages()).isEmpty();
    }

    /**
     * No MAIL command in a session without TLS: every session that Postfix counted a MAIL in had a STARTTLS that
     * succeeded ("starttls=1"; a failed one is counted "starttls=0/1").
     */
    static void assertNoMailInPlaintext(PostfixPeer postfix) {
        assertThat(disconnects(postfix)).allSatisfy(l -> {
            if (l.contains(" mail=")) {
                assertThat(l).contains(" starttls=1 ");
            }
        });
    }

    /** Postfix's summary of each finished session: the commands it was given ("ehlo=2 starttls=1 mail=1 ..."). */
    private static List<String> disconnects(PostfixPeer postfix) {
        try {
            return postfix.log().stream().filter(l -> l.contains(" disconnect from ") && l.contains(" ehlo="))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
