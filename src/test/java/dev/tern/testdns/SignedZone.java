package dev.tern.testdns;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One DNS zone as its authoritative server holds it, DNSSEC-signed in the test (RFC 4033-4035) or left unsigned,
 * for {@link TestDnsServer#authoritative} to serve to a validating resolver such as {@link Unbound}.
 *
 * <p>Signed with dnsjava rather than BIND's {@code dnssec-signzone}: the zone changes with each test, a broken
 * signature is one flipped octet here ({@link #breakSignature}), and nothing more needs installing. One
 * ECDSA P-256 key (algorithm 13) with the SEP flag signs every RRset; the resolver trusts it directly
 * ({@link #trustAnchor}), so no DS record or parent zone is needed. Every owner name gets an NSEC record
 * (RFC 4034 §4) in canonical order, so NODATA and NXDOMAIN answers carry their proofs (RFC 4035 §3.1.3);
 * names between owners that have descendants are empty non-terminals, proved by the NSEC before them.
 *
 * <p>Names given to {@link #add} are relative to the origin unless they end with a dot; {@code "@"} is the
 * origin. Signatures are made when the zone is first asked after a change.
 */
public final class SignedZone {

    /** Every record's TTL, and the negative TTL (the SOA minimum), unless a test asks for another. */
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final int ECDSAP256SHA256 = 13;

    private final Name origin;
    /** In seconds: every record's TTL and the SOA minimum (RFC 2308 §4). */
    private final long ttl;
    private final KeyPair keys;
    private final DNSKEYRecord dnskey;
    /** Owner name to its RRsets by type, in canonical order (dnsjava's {@link Name#compareTo}). */
    private final NavigableMap<Name, Map<Integer, List<Record>>> owners = new TreeMap<>();
    private final Set<String> broken = new HashSet<>();
    private Map<String, RRSIGRecord> signatures;

    private SignedZone(Name origin, boolean signed, Duration ttl) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("a TTL of at least one second: " + ttl);
        }
        this.origin = origin;
        this.ttl = ttl.toSeconds();
        try {
            if (signed) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                keys = generator.generateKeyPair();
                // Flags 257: a zone key with the SEP bit, as a trust anchor's key is (RFC 4034 §2.1.1).
                dnskey = new DNSKEYRecord(origin, DClass.IN, this.ttl, 257, 3, ECDSAP256SHA256, keys.getPublic());
                add(dnskey);
            } else {
                keys = null;
                dnskey = null;
            }
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot make a zone key", e);
        }
        Name ns = name("ns");
        add(new SOARecord(origin, DClass.IN, this.ttl, ns, name("hostmaster"), 1, 3600, 600, 86400, this.ttl));
        add(new NSRecord(origin, DClass.IN, this.ttl, ns));
        add(new ARecord(ns, DClass.IN, this.ttl, InetAddress.getLoopbackAddress()));
    }

    /** A zone signed with a key made now. */
    public static SignedZone signed(String origin) {
        return signed(origin, TTL);
    }

    /**
     * A zone signed with a key made now, whose records (and negative answers) live {@code ttl} in caches: a short
     * one lets a test change the zone and see resolvers take the change without a restart.
     */
    public static SignedZone signed(String origin, Duration ttl) {
        return new SignedZone(absolute(origin), true, ttl);
    }

    /** A zone without DNSSEC: a validating resolver with no trust anchor above it calls its answers insecure. */
    public static SignedZone unsigned(String origin) {
        return unsigned(origin, TTL);
    }

    /** An unsigned zone whose records live {@code ttl} in caches. */
    public static SignedZone unsigned(String origin, Duration ttl) {
        return new SignedZone(absolute(origin), false, ttl);
    }

    /** Adds a record from zone-file text, e.g. {@code add("mx", "TLSA", "3 1 1 ab12...")}. */
    public SignedZone add(String name, String type, String rdata) {
        try {
            return add(Record.fromString(name(name), Type.value(type), DClass.IN, ttl, rdata, origin));
        } catch (IOException e) {
            throw new IllegalArgumentException("bad record " + name + " " + type + " " + rdata, e);
        }
    }

    /**
     * Removes the RRset of this name and type (and the name, when nothing else is left there); the zone is signed
     * again when next asked, as a re-signed zone would be served after an operator's change.
     */
    public synchronized SignedZone remove(String name, String type) {
        Name owner = name(name);
        Map<Integer, List<Record>> byType = owners.get(owner);
        if (byType == null || byType.remove(Type.value(type)) == null) {
            throw new IllegalArgumentException("no " + type + " records at " + owner);
        }
        if (byType.isEmpty()) {
            owners.remove(owner);
        }
        signatures = null;
        return this;
    }

    /** Serves the RRset of this name and type with a signature that does not verify (one octet flipped). */
    public SignedZone breakSignature(String name, String type) {
        synchronized (this) {
            broken.add(key(name(name), Type.value(type)));
            signatures = null;
        }
        return this;
    }

    /** The zone's apex, e.g. {@code dane.test.}. */
    public String origin() {
        return origin.toString();
    }

    public boolean isSigned() {
        return keys != null;
    }

    /** The zone's key as a trust anchor in zone-file syntax, for unbound's {@code trust-anchor:}. */
    public String trustAnchor() {
        if (dnskey == null) {
            throw new IllegalStateException(origin + " is not signed");
        }
        return origin + " DNSKEY " + dnskey.rdataToString();
    }

    Name originName() {
        return origin;
    }

    private synchronized SignedZone add(Record record) {
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException(record.getName() + " is not in " + origin);
        }
        owners.computeIfAbsent(record.getName(), n -> new LinkedHashMap<>())
                .computeIfAbsent(record.getType(), t -> new ArrayList<>()).add(record);
        signatures = null;
        return this;
    }

    /** The records of a name and type (NSEC included), or an empty list. */
    synchronized List<Record> records(Name name, int type) {
        if (type == Type.NSEC) {
            NSECRecord nsec = nsec(name);
            return nsec == null ? List.of() : List.of(nsec);
        }
        Map<Integer, List<Record>> byType = owners.get(name);
        return byType == null ? List.of() : List.copyOf(byType.getOrDefault(type, List.of()));
    }

    synchronized boolean isOwner(Name name) {
        return owners.containsKey(name);
    }

    /** An owner, or an empty non-terminal: a name with an owner below it (RFC 4592 §2.2.2). */
    synchronized boolean exists(Name name) {
        Name next = owners.ceilingKey(name);
        return next != null && next.subdomain(name);
    }

    /** The NSEC record of an owner: the next owner in canonical order, and the types here (RFC 4034 §4.1). */
    synchronized NSECRecord nsec(Name owner) {
        Map<Integer, List<Record>> byType = owners.get(owner);
        if (byType == null || !isSigned()) {
            return null;
        }
        Name next = owners.higherKey(owner);
        List<Integer> types = new ArrayList<>(byType.keySet());
        types.add(Type.NSEC);
        types.add(Type.RRSIG);
        return new NSECRecord(owner, DClass.IN, ttl, next == null ? origin : next,
                types.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The NSEC whose span covers a name that is not an owner: the one of the greatest owner before it. */
    synchronized NSECRecord covering(Name name) {
        Name before = owners.lowerKey(name);
        return before == null ? null : nsec(before);
    }

    /** The RRSIG over one RRset (NSEC included), or null in an unsigned zone. */
    synchronized RRSIGRecord signature(Name name, int type) {
        if (!isSigned()) {
            return null;
        }
        if (signatures == null) {
            signatures = signAll();
        }
        return signatures.get(key(name, type));
    }

    private Map<String, RRSIGRecord> signAll() {
        Map<String, RRSIGRecord> out = new HashMap<>();
        Instant inception = Instant.now().minus(Duration.ofHours(1));
        Instant expiration = Instant.now().plus(Duration.ofDays(7));
        for (Map.Entry<Name, Map<Integer, List<Record>>> owner : owners.entrySet()) {
            List<List<Record>> sets = new ArrayList<>(owner.getValue().values());
            sets.add(List.of(nsec(owner.getKey())));
            for (List<Record> set : sets) {
                RRSIGRecord sig = sign(new RRset(set), inception, expiration);
                String key = key(owner.getKey(), set.get(0).getType());
                out.put(key, broken.contains(key) ? spoiled(sig) : sig);
            }
        }
        return out;
    }

    private RRSIGRecord sign(RRset set, Instant inception, Instant expiration) {
        try {
            return DNSSEC.sign(set, dnskey, keys.getPrivate(), inception, expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + set.getName() + " " + Type.string(set.getType()), e);
        }
    }

    private static RRSIGRecord spoiled(RRSIGRecord sig) {
        byte[] signature = sig.getSignature();
        signature[signature.length / 2] ^= 0x01;
        return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
                sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    private Name name(String text) {
        try {
            return Name.fromString(text, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad name " + text, e);
        }
    }

    private static Name absolute(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad origin " + text, e);
        }
    }
}
