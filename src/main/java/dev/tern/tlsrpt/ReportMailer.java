package dev.tern.tlsrpt;

import dev.tern.mail.Address;
import java.io.IOException;
import java.util.List;

/**
 * Where report mail goes: the server's own queue, so a report is queued, retried and bounced like any message
 * (RFC 8460 §5.3). The server signs it with DKIM on the way, as §5.3 requires.
 */
@FunctionalInterface
public interface ReportMailer {

    /**
     * Commits {@code message} (RFC 5322, CRLF lines) from {@code sender} to {@code recipients}; returns once it is
     * durably queued.
     *
     * @return the queue id, for the log
     * @throws IOException when it could not be queued
     */
    String send(Address sender, List<Address> recipients, byte[] message) throws IOException;
}
