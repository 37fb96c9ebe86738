package dev.tern.delivery.smtp;

import dev.tern.config.DeliverySettings;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testsmtp.ScriptedPeer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback world for the SMTP courier: a DNS server whose zone points {@code example.test} at
 * {@code mx1.example.test} = 127.0.0.1, and a scripted peer listening there. Short timeouts, no reuse unless a
 * test asks for it.
 */
final class CourierFixture implements AutoCloseable {

    final TestDnsServer dns;
    final ScriptedPeer peer;
    DeliverySettings settings;
    OutboundSecurity security = OutboundSecurity.NONE;
    private final List<AutoCloseable> closing = new ArrayList<>();

    CourierFixture() throws IOException {
        dns = TestDnsServer.start();
        peer = ScriptedPeer.start();
        closing.add(peer);
        closing.add(dns);
        dns.add("example.test", "MX", "10 mx1.example.test.");
        dns.add("mx1.example.test", "A", "127.0.0.1");
        settings = DeliverySettings.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withConcurrency(10, 5, Duration.ZERO);
    }

    /** A courier over the current settings; MX hosts on the peer's port. Closed with the fixture. */
    SmtpCourier courier() throws IOException {
        return courier("client.test");
    }

    SmtpCourier courier(String hostname) throws IOException {
        DnsjavaResolver resolver = new DnsjavaResolver(ResolverSettings.of(dns.address(), Duration.ofMillis(500), 0));
        SmtpCourier courier = new SmtpCourier(settings, hostname, resolver, peer.port(), security);
        closing.add(0, courier);
        return courier;
    }

    List<Outcome> deliver(Parcel parcel) throws IOException {
        return courier().deliver(parcel);
    }

    /** Keeps something open until the fixture closes (another peer). */
    <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(0, resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }
}
