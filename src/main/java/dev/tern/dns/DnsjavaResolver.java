package dev.tern.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectOverflowException;

/**
 * {@link DnsResolver} on dnsjava's {@link LookupSession}, whose queries go to the configured recursive servers in turn.
 *
 * <p>No global state: no {@code Lookup} cache, no default resolver. Each {@link SimpleResolver} retries over TCP
 * when a UDP answer comes back truncated (RFC 1035 §4.2.1, RFC 7766 §5). CNAME (and DNAME) chains are followed by
 * dnsjava's {@link LookupSession}, up to {@value #MAX_CNAME_HOPS} redirects, a loop found as one; its queries go
 * through an {@link Exchange} (the {@link ResponseCache}, then the servers in order).
 */
public final class DnsjavaResolver implements DnsResolver {

    private static final int MAX_CNAME_HOPS = 8;

    private final List<SimpleResolver> resolvers;
    private final int retries;
    private final ResponseCache cache;

    /** A resolver that asks the servers every time (tests that change their zones want this). */
    public DnsjavaResolver(ResolverSettings settings) {
        this(settings, ResponseCache.NONE);
    }

    /** A resolver that keeps answers in {@code cache} for as long as their TTLs allow. */
    public DnsjavaResolver(ResolverSettings settings, ResponseCache cache) {
        this.cache = cache;
        this.retries = settings.retries();
        List<SimpleResolver> list = new ArrayList<>();
        for (InetSocketAddress server : settings.servers()) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(settings.timeout());
            list.add(resolver);
        }
        this.resolvers = List.copyOf(list);
    }

    /** Uses the system's resolvers (/etc/resolv.conf). */
    public static DnsjavaResolver system() {
        return new DnsjavaResolver(ResolverSettings.system());
    }

    @Override
    public DnsResult<MxRecord> mx(String name) {
        return lookup(name, Type.MX, r -> {
            MXRecord mx = (MXRecord) r;
            return new MxRecord(mx.getPriority(), text(mx.getTarget()));
        });
    }

    @Override
    public DnsResult<InetAddress> a(String name) {
        return lookup(name, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public DnsResult<InetAddress> aaaa(String name) {
        return lookup(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    @Override
    public DnsResult<String> txt(String name) {
        return lookup(name, Type.TXT, r -> joined((TXTRecord) r));
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return lookup(name, Type.TLSA, r -> {
            TLSARecord t = (TLSARecord) r;
            return new TlsaRecord(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(),
                    t.getCertificateAssociationData());
        });
    }

    @Override
    public DnsResult<String> ptr(String name) {
        return lookup(name, Type.PTR, r -> text(((PTRRecord) r).getTarget()));
    }

    /** RFC 7208 §3.3: the character-strings of one TXT record are concatenated without adding spaces. */
    private static String joined(TXTRecord txt) {
        StringBuilder out = new StringBuilder();
        for (byte[] part : txt.getStringsAsByteArrays()) {
            out.append(new String(part, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String text(Name name) {
        return name.equals(Name.root) ? "." : name.toString(true);
    }

    private <T> DnsResult<T> lookup(String text, int type, Function<Record, T> convert) {
        Optional<Name> start = parseName(text);
        if (start.isEmpty()) {
            // A name that breaks the DNS syntax (label over 63 octets, name over 255) cannot exist.
            return new DnsResult.NxDomain<>();
        }
        DnsResult<T> kept = fromCache(start.get(), type, convert);
        if (kept != null) {
            return kept;
        }
        Exchange exchange = new Exchange(resolvers, retries, cache);
        // The first query is asked here and read as a kept response is: most answers (and every NXDOMAIN of a
        // DNS list, which LookupSession would turn into three exceptions) need nothing more. Only a CNAME or
        // DNAME goes to LookupSession, whose first query the exchange then answers with this same response.
        Message first;
        try {
            first = exchange.sendAsync(Message.newQuery(Record.newRecord(start.get(), type, DClass.IN)))
                    .toCompletableFuture().join();
        } catch (CompletionException e) {
            return failure(e.getCause() == null ? e : e.getCause(), exchange, text);
        }
        DnsResult<T> direct = read(first, start.get(), type, convert);
        if (direct != null) {
            return direct;
        }
        // No cache, hosts file or search path of dnsjava's: ResponseCache is the one cache, names are absolute.
        LookupSession session = LookupSession.builder().resolver(exchange).maxRedirects(MAX_CNAME_HOPS).build();
        LookupResult result;
        try {
            result = session.lookupAsync(start.get(), type).toCompletableFuture().join();
        } catch (CompletionException e) {
            return failure(e.getCause() == null ? e : e.getCause(), exchange, text);
        }
        List<T> found = new ArrayList<>();
        for (Record record : result.getRecords()) {
            if (record.getType() == type) {
                found.add(convert.apply(record));
            }
        }
        return found.isEmpty() ? new DnsResult.NoData<>() : new DnsResult.Answer<>(found, exchange.lastAuthenticated());
    }

    /**
     * A kept response that needs no chain following, read as {@link LookupSession} would read it: records of
     * the type owned by the name itself, or a negative answer with nothing in its answer section. The lookups
     * of every received message (SPF, DKIM keys, DMARC) are mostly these, and a session costs several times a
     * cache hit. Null when the session must decide (nothing kept, a CNAME or DNAME, a failure).
     */
    private <T> DnsResult<T> fromCache(Name name, int type, Function<Record, T> convert) {
        Message kept = cache.get(name, type);
        return kept == null ? null : read(kept, name, type, convert);
    }

    /** A response read as {@link #fromCache} says; null when {@link LookupSession} must decide. */
    private static <T> DnsResult<T> read(Message kept, Name name, int type, Function<Record, T> convert) {
        List<Record> answer = kept.getSection(Section.ANSWER);
        int rcode = kept.getRcode();
        if (answer.isEmpty()) {
            return rcode == Rcode.NXDOMAIN ? new DnsResult.NxDomain<>()
                    : rcode == Rcode.NOERROR ? new DnsResult.NoData<>() : null;
        }
        if (rcode != Rcode.NOERROR) {
            return null;
        }
        List<T> found = new ArrayList<>(answer.size());
        for (Record record : answer) {
            if (record.getType() != type || !record.getName().equals(name)) {
                return null;
            }
            found.add(convert.apply(record));
        }
        return new DnsResult.Answer<>(found, kept.getHeader().getFlag(Flags.AD));
    }

    /** RFC 2308: NXDOMAIN and NODATA are answers; everything else is worth asking again later. */
    private static <T> DnsResult<T> failure(Throwable cause, Exchange exchange, String text) {
        return switch (cause) {
            case NoSuchDomainException nx -> new DnsResult.NxDomain<>();
            case NoSuchRRSetException nodata -> new DnsResult.NoData<>();
            case Exchange.RcodeFailure rcode -> new DnsResult.Temporary<>(rcode.getMessage());
            case IOException io -> new DnsResult.Temporary<>(describe(io) + " for " + exchange.lastQuestion());
            case RedirectOverflowException chain -> chainTooLong(text); // a RedirectLoopException too
            default -> new DnsResult.Temporary<>(cause.getClass().getSimpleName() + " for " + exchange.lastQuestion());
        };
    }

    private static <T> DnsResult<T> chainTooLong(String text) {
        return new DnsResult.Temporary<>("CNAME chain longer than " + MAX_CNAME_HOPS + " at " + text);
    }

    private static Optional<Name> parseName(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Name.fromString(text, Name.root));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
