package dev.tern.policy.screen;

import dev.tern.config.DnsblSite;
import dev.tern.config.ScreenSettings;
import dev.tern.mail.Address;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The screen of one connection: the decision before the greeting ({@link #beforeGreeting}) and the
 * right-hand-side lists at RCPT ({@link #atRcpt}). Every decision writes a mail-log line.
 */
public final class Screening {

    /** How much of an early talker's words the log keeps. */
    static final int EARLY_TALK_LOGGED = 100;

    private final Screen screen;
    private final ScreenSettings settings;
    private final String client;
    private final Screen.Access access;
    private final DnsLists lists;
    private final long startNanos;
    /** The right-hand-side verdicts already found in this session, by list kind and name. */
    private final Map<String, Verdict> rhsbl = new HashMap<>();

    Screening(Screen screen, InetAddress client, Screen.Access access, DnsLists lists, long startNanos) {
        this.screen = screen;
        this.settings = screen.settings;
        this.client = client.getHostAddress();
        this.access = access;
        this.lists = lists;
        this.startNanos = startNanos;
    }

    /**
     * Before the 220: the network lists, then the greet pause (with its {@code 220-} line) while the DNS lists
     * answer, then the score. The pause parks the session's virtual thread; it holds no platform thread.
     */
    public Outcome beforeGreeting(Greeting greeting) throws IOException {
        if (access == Screen.Access.ALLOW) {
            log("allow", null).log();
            return Outcome.pass("allowlist");
        }
        if (access == Screen.Access.DENY) {
            return refused("deny", null, null, "Service unavailable; client [" + client + "] is not permitted", false);
        }
        boolean cached = screen.passed.contains(client);
        boolean paused = false;
        long delay = settings.pregreetDelay().toNanos();
        if (delay > 0 && !cached) {
            long end = startNanos + delay;
            if (!settings.greetBanner().isEmpty()) {
                greeting.continuation(screen.hostname + " " + settings.greetBanner());
            }
            // A client that a DNS allow list vouches for skips the rest of the pause (postscreen does the same).
            if (lists == null || !lists.await(end) || !allowListed(lists.score(false))) {
                sleepUntil(end);
                paused = true;
                byte[] early = greeting.pending(EARLY_TALK_LOGGED);
                if (early.length > 0) {
                    // RFC 5321 §3.1: the client waits for the server's greeting; a bot that does not is found here.
                    return refused("early-talker", null, new String(early, StandardCharsets.ISO_8859_1),
                            "Service unavailable; client [" + client + "] talked before the greeting", true);
                }
            }
        }
        DnsLists.Score score = null;
        if (lists != null) {
            lists.await(startNanos + settings.dnsblTimeout().toNanos());
            score = lists.score(true);
            if (score.total() >= settings.dnsblThreshold()) {
                DnsblSite worst = score.worst();
                return refused("dnsbl", score, null, "Service unavailable; client [" + client + "] blocked using "
                        + worst.zone(), false);
            }
        }
        String vouched = score != null && allowListed(score) ? "dnswl:" + score.best().zone() : null;
        if (paused) {
            screen.passed.remember(client);
        }
        log(cached ? "cached" : "pass", score).with("vouched", vouched).log();
        return Outcome.pass(vouched);
    }

    /** postscreen_dnsbl_allowlist_threshold: only a negative threshold vouches, at or below it. */
    private boolean allowListed(DnsLists.Score score) {
        return settings.dnsblAllowlistThreshold() < 0 && score.total() <= settings.dnsblAllowlistThreshold();
    }

    private Outcome refused(String why, DnsLists.Score score, String sent, String text, boolean close) {
        Outcome outcome = Outcome.refuse(text, close);
        Metrics.get().defence(Metrics.Defence.SCREEN, why);
        MailLog.event(null, "rejected").with("client", client).with("stage", "CONNECT").with("screen", why)
                .with("list", score == null ? null : score.worst().zone())
                .with("score", score == null ? null : score.total())
                .with("sent", sent).with("reply", "554 5.7.1 " + text).log();
        return outcome;
    }

    private MailLog.Line log(String result, DnsLists.Score score) {
        Metrics.get().defence(Metrics.Defence.SCREEN, result);
        return MailLog.event(null, "screen").with("client", client).with("screen", result)
                .with("lists", score == null || score.listedBy().isEmpty() ? null : names(score.listedBy()))
                .with("score", score == null ? null : score.total());
    }

    private static String names(List<DnsblSite> sites) {
        return String.join(",", sites.stream().map(DnsblSite::zone).toList());
    }

    private static void sleepUntil(long endNanos) {
        long wait = endNanos - System.nanoTime();
        try {
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At RCPT (as Postfix's {@code reject_rhsbl_helo} and {@code reject_rhsbl_sender}, so that the log shows
     * sender and recipient): the HELO name and the sender's domain in the right-hand-side lists (RFC 5782 §2.2).
     * A client on the allow list skips them.
     *
     * @return {@link Verdict#ACCEPT}, or {@code 554 5.7.1} naming the list
     */
    public Verdict atRcpt(String helo, Address sender, Address recipient) {
        if (access == Screen.Access.ALLOW) {
            return Verdict.ACCEPT;
        }
        if (helo != null && !helo.startsWith("[") && !settings.rhsblHelo().isEmpty()) {
            Verdict verdict = rhsbl("Helo command", helo.toLowerCase(java.util.Locale.ROOT), settings.rhsblHelo(),
                    sender, recipient);
            if (!verdict.accepted()) {
                return verdict;
            }
        }
        if (sender != null && !sender.isNull() && !sender.domain().isAddressLiteral()
                && !settings.rhsblSender().isEmpty()) {
            return rhsbl("Sender address", sender.domain().key(), settings.rhsblSender(), sender, recipient);
        }
        return Verdict.ACCEPT;
    }

    private Verdict rhsbl(String what, String name, List<DnsblSite> sites, Address sender, Address recipient) {
        Verdict verdict = rhsbl.computeIfAbsent(what + " " + name, key -> {
            DnsLists lookups = DnsLists.ofDomain(client, name, sites, screen.dns, screen.lookups);
            lookups.await(System.nanoTime() + settings.dnsblTimeout().toNanos());
            DnsblSite worst = lookups.score(true).worst();
            return worst == null ? Verdict.ACCEPT : Verdict.permanent(554, "5.7.1",
                    "Service unavailable; " + what + " [" + name + "] blocked using " + worst.zone());
        });
        if (!verdict.accepted()) {
            Metrics.get().defence(Metrics.Defence.SCREEN, "rhsbl");
            MailLog.event(null, "rejected").with("client", client).with("stage", "RCPT")
                    .with("screen", "rhsbl").with("name", name).address("from", sender).address("to", recipient)
                    .with("reply", verdict.code() + " " + verdict.enhanced() + " " + verdict.text()).log();
        }
        return verdict;
    }
}
