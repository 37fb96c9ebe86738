package dev.tern.testmta;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a test asks of a {@link PostfixPeer}: the host name it greets with, the one domain it takes mail for and
 * that domain's mailboxes, the certificate it offers with STARTTLS (none: no STARTTLS), and any {@code main.cf}
 * parameter set over the peer's own (e.g. {@code smtpd_tls_security_level = none} to stop offering STARTTLS).
 *
 * @param hostname          {@code myhostname}: the greeting, the EHLO reply and the {@code by} of its Received field
 * @param domain            the virtual mailbox domain whose mail is stored
 * @param mailboxes         local parts with a Maildir; mail for any other address in the domain is refused (550)
 * @param certificateChain  PEM, the server certificate first (as {@code TestPki.write} writes it), or null
 * @param privateKey        PEM, the key of the first certificate, or null
 * @param overrides         {@code main.cf} parameters written after the peer's own, so they win
 */
public record PostfixSettings(String hostname, String domain, List<String> mailboxes, Path certificateChain,
                              Path privateKey, Map<String, String> overrides) {

    private static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    public PostfixSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(domain, "domain");
        mailboxes = List.copyOf(mailboxes);
        overrides = Map.copyOf(overrides);
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("a certificate chain needs its private key, and the other way round");
        }
        for (String local : mailboxes) {
            if (!LOCAL_PART.matcher(local).matches()) {
                throw new IllegalArgumentException("not a plain local part: " + local);
            }
        }
        overrides.forEach((name, value) -> {
            if (!PARAMETER.matcher(name).matches() || value.contains("\n") || value.contains("\r")) {
                throw new IllegalArgumentException("not a main.cf parameter line: " + name + " = " + value);
            }
        });
    }

    /** A peer for {@code domain} greeting as {@code hostname}, with no mailbox, no certificate and no overrides. */
    public static PostfixSettings forDomain(String domain, String hostname) {
        return new PostfixSettings(hostname, domain, List.of(), null, null, Map.of());
    }

    /** These settings with a Maildir for {@code localPart@domain}. */
    public PostfixSettings withMailbox(String localPart) {
        List<String> more = new ArrayList<>(mailboxes);
        more.add(localPart);
        return new PostfixSettings(hostname, domain, more, certificateChain, privateKey, overrides);
    }

    /** These settings offering STARTTLS with this certificate chain and key (PEM files, copied at start). */
    public PostfixSettings withCertificate(Path chain, Path key) {
        return new PostfixSettings(hostname, domain, mailboxes, chain, key, overrides);
    }

    /** These settings with one {@code main.cf} parameter set over the peer's own value. */
    public PostfixSettings with(String parameter, String value) {
        Map<String, String> more = new LinkedHashMap<>(overrides);
        more.put(parameter, value);
        return new PostfixSettings(hostname, domain, mailboxes, certificateChain, privateKey, more);
    }

    /** The address of one of the mailboxes. */
    public String address(String localPart) {
        return localPart + "@" + domain;
    }
}
