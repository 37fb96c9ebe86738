package dev.tern.policy.spf;

import dev.tern.dns.DnsResolver;
import java.net.InetAddress;
import java.time.Clock;

/**
 * SPF checks of the HELO and MAIL FROM identities (RFC 7208 §2.3, §2.4) by {@code check_host()} (§4).
 *
 * <p>Thread-safe: each check keeps its own lookup budgets. DNS goes only through the given {@link DnsResolver}.
 */
public final class SpfChecker {

    /** Used for a fail without a usable {@code exp=} (§6.2). */
    public static final String DEFAULT_EXPLANATION = "SPF fail - not authorized";

    private final DnsResolver dns;
    private final String receiver;
    private final String defaultExplanation;
    private final Clock clock;

    /**
     * @param receiver this host's domain name, for the {@code %{r}} macro in explanations
     * @param defaultExplanation the explanation of a fail whose record gives none
     */
    public SpfChecker(DnsResolver dns, String receiver, String defaultExplanation, Clock clock) {
        this.dns = dns;
        this.receiver = receiver == null || receiver.isEmpty() ? "unknown" : receiver;
        this.defaultExplanation = defaultExplanation;
        this.clock = clock;
    }

    public SpfChecker(DnsResolver dns, String receiver) {
        this(dns, receiver, DEFAULT_EXPLANATION, Clock.systemUTC());
    }

    /**
     * The MAIL FROM identity (§2.4): a null reverse-path is checked as {@code postmaster@<helo>}, and a sender
     * without a local-part as {@code postmaster@<domain>} (§4.3).
     *
     * @param mailFrom the reverse-path without angle brackets, "" for the null reverse-path
     */
    public SpfResult checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        if (mailFrom == null || mailFrom.isEmpty()) {
            return checkHelo(ip, helo);
        }
        int at = mailFrom.lastIndexOf('@');
        String domain = at < 0 ? mailFrom : mailFrom.substring(at + 1);
        String local = at <= 0 ? "postmaster" : mailFrom.substring(0, at);
        return checkHost(ip, domain, local + "@" + domain, helo);
    }

    /** The HELO identity (§2.3): {@code check_host()} with the HELO name as domain and postmaster@helo as sender. */
    public SpfResult checkHelo(InetAddress ip, String helo) {
        String name = helo == null ? "" : helo;
        return checkHost(ip, name, "postmaster@" + name, name);
    }

    /**
     * {@code check_host(<ip>, <domain>, <sender>)} of §4, with the HELO name for the {@code %{h}} macro.
     * A malformed or single-label domain gives {@link SpfOutcome#NONE} (§4.3).
     */
    public SpfResult checkHost(InetAddress ip, String domain, String sender, String helo) {
        Evaluation evaluation = new Evaluation(dns, ip, sender, helo == null ? "" : helo, receiver,
                clock.instant().getEpochSecond(), defaultExplanation);
        return evaluation.checkHost(domain);
    }
}
