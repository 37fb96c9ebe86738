package dev.tern.policy.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.testdns.FakeDnsResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A heap count, not a timing: the octets the end-of-data checks allocate for a message whose header block is
 * 1 MiB (the default {@code max_header_size}), on the calling thread, where the header is read and parsed. The
 * bound says how many copies of the header the checks may make; the count is deterministic enough for that
 * (the JIT, not the code, is what varies, and it only removes allocations). The message's body is small, so what
 * is counted is the header's cost.
 */
class HeaderAllocationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final InetAddress CLIENT = dev.tern.mail.IpNetwork.parseAddress("192.0.2.1");
    static final int PADDING_FIELDS = 10_000; // about 1 MiB of header above the signed message

    static byte[] message() {
        StringBuilder b = new StringBuilder(PADDING_FIELDS * 110);
        for (int i = 0; i < PADDING_FIELDS; i++) {
            b.append("X-Padding-").append(i).append(": ").append("y".repeat(90)).append("\r\n");
        }
        b.append(InboundChecksTest.resource("signed/plain.rsa2048.relaxed-relaxed.eml"));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static long allocatedByOneCheck(InboundChecks checks, byte[] message) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        InboundChecks.Pending pending = checks.start(CLIENT, "alice@example.test", "c.example");
        long before = threads.getCurrentThreadAllocatedBytes();
        InboundResult result = checks.finish(pending, new ByteArrayInputStream(message));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(result.dkim()).extracting(DkimResult::passed).containsExactly(true);
        return allocated;
    }

    @Test
    void theChecksOfAOneMebibyteHeaderMakeFewCopiesOfIt() throws IOException {
        FakeDnsResolver dns = new FakeDnsResolver().add("example.test", "TXT", "v=spf1 ip4:192.0.2.1 -all")
                .add("rsa2048._domainkey.example.test", "TXT",
                        InboundChecksTest.resource("keys/rsa2048.dns").strip());
        InboundChecks checks = new InboundChecks(dns, new SpfChecker(dns, "tern.test"), PublicSuffixList.bundled(),
                AuthenticationPolicy.defaults(), "tern.test", CLOCK, true, 10);
        byte[] message = message();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            least = Math.min(least, allocatedByOneCheck(checks, message));
        }
        System.out.printf("header %d octets: %d octets allocated (%.1f per header octet)%n", message.length, least,
                (double) least / message.length);
        // Reading it twice, regular expressions per field and parsing it twice made 59 octets per octet; now about
        // 9: the header read once (chunks joined), one string per DMARC value, one copy per DKIM field.
        assertThat(least).isLessThan(16L * message.length);
    }
}
