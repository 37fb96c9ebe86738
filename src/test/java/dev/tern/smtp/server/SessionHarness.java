package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.config.SmtpLimits;
import dev.tern.policy.RecipientPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** Runs a whole session over in-memory streams: the client's bytes in, the server's replies out. */
final class SessionHarness {

    final MemorySpool spool = new MemorySpool();
    /** The spool sessions write to; the in-memory one unless a test puts a real one here. */
    dev.tern.queue.Spool target = spool;
    SmtpLimits limits = SmtpLimits.defaults();
    ListenerSettings.Role role = ListenerSettings.Role.MX;
    List<dev.tern.mail.IpNetwork> trusted = List.of();
    dev.tern.config.RuleSettings rules = dev.tern.config.RuleSettings.defaults();
    dev.tern.auth.Authenticator authenticator = TestAuthenticator.INSTANCE;
    boolean tls;
    /** Message authentication, off unless a test sets them. */
    dev.tern.policy.mailauth.InboundChecks inbound;
    dev.tern.policy.mailauth.OutboundSigner signer;
    /** Rate limits and greylist, off unless a test sets them. */
    dev.tern.policy.ratelimit.RateLimits rateLimits;
    dev.tern.policy.greylist.Greylist greylist;
    /** The listener's milters, none unless a test sets them. */
    List<dev.tern.config.MilterSettings> milters = List.of();

    SessionSettings settings() {
        return new SessionSettings("tern.test", role, limits, "localhost",
                Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC), trusted,
                new dev.tern.policy.rules.RuleEngine(rules), authenticator, false,
                new dev.tern.policy.SenderPolicy(new FakeDirectory(), java.util.Map.of()))
                .withMessageAuthentication(inbound, signer).withThrottles(rateLimits, greylist)
                .withMilters("mx", milters);
    }

    /** Runs a session on the given client bytes; returns the server's reply lines. */
    List<String> run(byte[] client) {
        MemoryTransport transport = new MemoryTransport(client);
        transport.tls = tls;
        try {
            new Session(settings(), transport, target, new RecipientPolicy(new FakeDirectory())).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = transport.serverText();
        if (!transport.closed) {
            throw new AssertionError("session did not close its transport");
        }
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\r\n", -1)).subList(0, text.split("\r\n", -1).length - 1);
    }

    List<String> run(String client) {
        return run(client.getBytes(StandardCharsets.UTF_8));
    }
}
