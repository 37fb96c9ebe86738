package dev.tern.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
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

/**
 * {@link DnsResolver} on dnsjava: one query message per lookup, sent to the configured recursive servers in turn.
 *
 * <p>No global state: no {@code Lookup} cache, no default resolver. Each {@link SimpleResolver} retries over TCP
 * when a UDP answer comes back truncated (RFC 1035 §4.2.1, RFC 7766 §5). CNAME chains the server left unresolved
 * are followed here, up to {@value #MAX_CNAME_HOPS} hops.
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
        Name name = start.get();
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            Message response;
            try {
                response = ask(name, type);
            } catch (IOException e) {
                return new DnsResult.Temporary<>(describe(e) + " for " + name + " " + Type.string(type));
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new DnsResult.NxDomain<>();
            }
            if (rcode != Rcode.NOERROR) {
                return new DnsResult.Temporary<>(Rcode.string(rcode) + " for " + name + " " + Type.string(type));
            }
            List<T> found = new ArrayList<>();
            Name alias = null;
            for (Record record : response.getSection(Section.ANSWER)) {
                if (record.getType() == type) {
                    found.add(convert.apply(record));
                } else if (record.getType() == Type.CNAME) {
                    alias = ((CNAMERecord) record).getTarget();
                }
            }
            if (!found.isEmpty()) {
                return new DnsResult.Answer<>(found, response.getHeader().getFlag(Flags.AD));
            }
            if (alias == null || type == Type.CNAME) {
                return new DnsResult.NoData<>();
            }
            name = alias; // the server gave the alias but not its records: ask for them ourselves
        }
        return new DnsResult.Temporary<>("CNAME chain longer than " + MAX_CNAME_HOPS + " at " + text);
    }

    private Message ask(Name name, int type) throws IOException {
        Message cached = cache.get(name, type);
        if (cached != null) {
            return cached;
        }
        Message response = askServers(name, type);
        cache.put(name, type, response);
        return response;
    }

    private Message askServers(Name name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        // RFC 6840 §5.7: ask a validating resolver to report whether the answer is authenticated (for DANE).
        query.getHeader().setFlag(Flags.AD);
        IOException last = null;
        for (int round = 0; round <= retries; round++) {
            for (SimpleResolver resolver : resolvers) {
                try {
                    return resolver.send(query);
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw last;
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
