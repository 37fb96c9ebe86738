package dev.tern.policy.screen;

import dev.tern.config.DnsblSite;
import dev.tern.dns.Addresses;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.observe.MailLog;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The DNS list lookups of one name, all started at once and read when needed (RFC 5782): for a client address
 * the reversed octets (IPv4) or nibbles (IPv6) under each zone (§2.1, §2.4), for a domain the name itself (§2.2).
 * An answer outside 127.0.0.0/8 is no listing: a list that answers so is broken or hostile (§2.3, and the lists
 * that answered every query once they shut down); it is ignored and logged. A zone that times out or fails counts
 * zero: a list's trouble never blocks mail.
 */
final class DnsLists {

    /** What the lists say: the sum of the weights of those that list the name, and which listed it. */
    record Score(int total, List<DnsblSite> listedBy) {

        /** The listing list with the highest weight (the one named in a refusal), or null. */
        DnsblSite worst() {
            return listedBy.stream().max((a, b) -> Integer.compare(a.weight(), b.weight())).orElse(null);
        }

        /** The listing list with the lowest (most negative) weight (the allow list that vouches), or null. */
        DnsblSite best() {
            return listedBy.stream().min((a, b) -> Integer.compare(a.weight(), b.weight())).orElse(null);
        }
    }

    private final String client;
    private final String subject;
    private final List<DnsblSite> sites;
    private final List<CompletableFuture<DnsResult<InetAddress>>> lookups = new ArrayList<>();

    private DnsLists(String client, String subject, List<DnsblSite> sites) {
        this.client = client;
        this.subject = subject;
        this.sites = sites;
    }

    /** Starts the lookups of a client address in every list (A records, §2.1 and §2.4). */
    static DnsLists ofAddress(InetAddress address, List<DnsblSite> sites, DnsResolver dns, Executor executor) {
        return start(address.getHostAddress(), reversed(address), address.getHostAddress(), sites, dns, executor);
    }

    /** Starts the lookups of a domain name in right-hand-side lists (§2.2). */
    static DnsLists ofDomain(String client, String domain, List<DnsblSite> sites, DnsResolver dns, Executor executor) {
        return start(client, domain, domain, sites, dns, executor);
    }

    private static DnsLists start(String client, String prefix, String subject, List<DnsblSite> sites,
                                  DnsResolver dns, Executor executor) {
        DnsLists lists = new DnsLists(client, subject, sites);
        for (DnsblSite site : sites) {
            String name = prefix + "." + site.zone();
            lists.lookups.add(CompletableFuture.supplyAsync(() -> dns.a(name), executor));
        }
        return lists;
    }

    /** {@code 4.3.2.1} for 1.2.3.4; 32 nibbles, least significant first, for an IPv6 address (RFC 5782 §2.4). */
    static String reversed(InetAddress address) {
        String name = Addresses.reverseName(address);
        String suffix = address instanceof Inet4Address ? ".in-addr.arpa" : ".ip6.arpa";
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.substring(0, name.length() - suffix.length());
    }

    /**
     * Waits, parking the (virtual) thread, until every lookup is done or the deadline passes.
     *
     * @return whether every lookup is done
     */
    boolean await(long deadlineNanos) {
        CompletableFuture<Void> all = CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new));
        long wait = deadlineNanos - System.nanoTime();
        try {
            if (wait > 0) {
                all.get(wait, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // a lookup that threw counts zero in score()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return all.isDone();
    }

    /** Whether every lookup is done. */
    boolean done() {
        return lookups.stream().allMatch(CompletableFuture::isDone);
    }

    /**
     * The score from the lookups done so far.
     *
     * @param logTrouble whether to log each lookup not done, failed or answered badly (once per lookup: the
     *                   final reading does, an early look does not)
     */
    Score score(boolean logTrouble) {
        int total = 0;
        List<DnsblSite> listedBy = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            DnsblSite site = sites.get(i);
            CompletableFuture<DnsResult<InetAddress>> lookup = lookups.get(i);
            DnsResult<InetAddress> result = lookup.isDone() && !lookup.isCompletedExceptionally()
                    ? lookup.join() : null;
            if (result == null || result.isTemporary()) {
                String reason = result == null ? (lookup.isDone() ? "lookup failed" : "timeout")
                        : ((DnsResult.Temporary<InetAddress>) result).reason();
                if (logTrouble) {
                    trouble(site, "temporary", reason);
                }
            } else if (listed(site, result.records(), logTrouble)) {
                total += site.weight();
                listedBy.add(site);
            }
        }
        return new Score(total, List.copyOf(listedBy));
    }

    private boolean listed(DnsblSite site, List<InetAddress> answers, boolean logTrouble) {
        boolean listed = false;
        for (InetAddress answer : answers) {
            if (!(answer instanceof Inet4Address) || (answer.getAddress()[0] & 0xff) != 127) {
                if (logTrouble) {
                    trouble(site, "malformed", "answer " + answer.getHostAddress() + " outside 127.0.0.0/8");
                }
                return false; // RFC 5782 §2.3: a list answering so cannot be trusted for this name at all
            }
            listed |= site.matches(answer);
        }
        return listed;
    }

    private void trouble(DnsblSite site, String problem, String reason) {
        MailLog.event(null, "dnsbl").with("client", client).with("name", subject).with("list", site.zone())
                .with("problem", problem).with("reason", reason).warn();
    }
}
