package dev.tern.testdns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative-and-recursive-looking DNS server on 127.0.0.1, UDP and TCP on one ephemeral port, answering from
 * in-memory records.
 *
 * <ul>
 *   <li>a name never added is NXDOMAIN; an added name without records of the asked type is NODATA;</li>
 *   <li>CNAMEs are followed as a recursive resolver would, the chain going into the answer; a loop is SERVFAIL;</li>
 *   <li>{@link #servfail} names answer SERVFAIL; {@link #timeout} names and types get no answer at all;</li>
 *   <li>a UDP answer bigger than 512 octets (or the client's EDNS payload size) is truncated with the TC bit,
 *       so that clients must retry over TCP.</li>
 * </ul>
 *
 * <p>{@link #authoritative} starts it instead as the authoritative server of some {@link SignedZone}s, for a
 * validating resolver ({@link Unbound}) to ask.
 */
public final class TestDnsServer implements AutoCloseable {

    private static final long TTL = 300;

    static {
        // dnsjava logs every query at DEBUG; tests that use this server would drown in it.
        if (org.slf4j.LoggerFactory.getLogger("org.xbill.DNS") instanceof ch.qos.logback.classic.Logger dnsjava) {
            dnsjava.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
    private static final int MAX_CHAIN = 8;

    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> timeoutAll = ConcurrentHashMap.newKeySet();
    private final Set<String> timeoutTyped = ConcurrentHashMap.newKeySet();
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile int udpLimit = 512;
    private volatile Record negativeSoa;
    private volatile boolean authenticated;
    private final Set<Name> insecure = ConcurrentHashMap.newKeySet();
    private volatile AuthoritativeAnswers authoritative;
    private volatile boolean chaseCnames = true;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds UDP and TCP on the same free loopback port and starts answering. */
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, loopback);
                TestDnsServer server = new TestDnsServer(udp, tcp);
                server.startThreads();
                return server;
            } catch (IOException portTakenForTcp) {
                udp.close();
                if (attempt == 10) {
                    throw portTakenForTcp;
                }
            }
        }
    }

    /**
     * Binds as {@link #start} does and answers as the authoritative server of these zones, with DNSSEC records
     * for queries that ask for them; UDP answers up to 1232 octets.
     */
    public static TestDnsServer authoritative(SignedZone... zones) throws IOException {
        TestDnsServer server = start();
        server.udpLimit = 1232;
        server.authoritative = new AuthoritativeAnswers(List.of(zones));
        return server;
    }

    public int port() {
        return udp.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), port());
    }

    /** Adds a record from zone-file text, e.g. {@code add("example.com", "MX", "10 mx.example.com")}. */
    public TestDnsServer add(String name, String type, String rdata) {
        try {
            return add(Record.fromString(name(name), Type.value(type), DClass.IN, TTL, rdata, Name.root));
        } catch (IOException e) {
            throw new IllegalArgumentException("bad record " + name + " " + type + " " + rdata, e);
        }
    }

    public TestDnsServer add(Record record) {
        zone.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    /** One TXT record made of these character-strings (UTF-8 encoded, each at most 255 octets). */
    public TestDnsServer addTxt(String name, String... strings) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 255) {
                throw new IllegalArgumentException("character-string over 255 octets");
            }
            rdata.write(bytes.length);
            rdata.writeBytes(bytes);
        }
        return add(Record.newRecord(name(name), Type.TXT, DClass.IN, TTL, rdata.toByteArray()));
    }

    /** Makes the name exist without records, so that every query for it is NODATA. */
    public TestDnsServer addName(String name) {
        zone.computeIfAbsent(name(name), n -> new CopyOnWriteArrayList<>());
        return this;
    }

    public TestDnsServer servfail(String name) {
        servfail.add(name(name));
        return this;
    }

    /** Forgets the name's records, SERVFAIL and timeouts: it is NXDOMAIN again (a record withdrawn or replaced). */
    public TestDnsServer remove(String name) {
        Name key = name(name);
        zone.remove(key);
        servfail.remove(key);
        timeoutAll.remove(key);
        timeoutTyped.removeIf(t -> t.startsWith(key.toString().toLowerCase(java.util.Locale.ROOT) + "/"));
        return this;
    }

    /** No answer to any query for the name, except queries for a type the name holds records of. */
    public TestDnsServer timeout(String name) {
        timeoutAll.add(name(name));
        return this;
    }

    /** No answer to queries for the name and this type. */
    public TestDnsServer timeout(String name, int type) {
        timeoutTyped.add(name(name).toString().toLowerCase(java.util.Locale.ROOT) + "/" + type);
        return this;
    }

    /**
     * A SOA record in the authority section of every NXDOMAIN and NODATA answer, as a zone's server sends it
     * so that resolvers may keep the negative answer (RFC 2308 §3): TTL {@code soaTtl}, MINIMUM {@code minimum}.
     */
    public TestDnsServer negativeAnswersWithSoa(long soaTtl, long minimum) {
        try {
            negativeSoa = new org.xbill.DNS.SOARecord(Name.root, org.xbill.DNS.DClass.IN, soaTtl,
                    name("ns.test"), name("hostmaster.test"), 1, 3600, 600, 86400, minimum);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** Sets the AD bit in every answer, as a validating resolver does for DNSSEC-signed data (RFC 4035 §3.2.3). */
    public TestDnsServer authenticated() {
        authenticated = true;
        return this;
    }

    /** No AD bit on answers to questions for this name, even after {@link #authenticated}: an unsigned zone. */
    public TestDnsServer insecure(String name) {
        insecure.add(name(name));
        return this;
    }

    /** Answers a CNAME alone, as an authoritative server for another zone would, so the client asks for its target. */
    public TestDnsServer withoutChasingCnames() {
        chaseCnames = false;
        return this;
    }

    /** Truncate UDP answers above this size instead of 512 octets (never above the client's EDNS size). */
    public TestDnsServer udpLimit(int octets) {
        udpLimit = octets;
        return this;
    }

    public int udpQueries() {
        return udpQueries.get();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad name " + text, e);
        }
    }

    private void startThreads() {
        Thread.ofPlatform().daemon().name("test-dns-udp-" + port()).start(this::serveUdp);
        Thread.ofPlatform().daemon().name("test-dns-tcp-" + port()).start(this::serveTcp);
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                udpQueries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = respond(query);
                if (response != null) {
                    byte[] wire = response.toWire(udpSize(query));
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException badPacket) {
                // ignore a malformed query, as a server would
            }
        }
    }

    private int udpSize(Message query) {
        OPTRecord opt = query.getOPT();
        int clientSize = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        return Math.min(clientSize, udpLimit);
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                connections.add(socket);
                Thread.ofVirtual().start(() -> serveConnection(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                tcpQueries.incrementAndGet();
                Message response = respond(new Message(wire));
                if (response != null) {
                    byte[] reply = response.toWire();
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (EOFException done) {
            // client closed the connection
        } catch (IOException ignored) {
            // connection broken or server closing
        } finally {
            connections.remove(socket);
        }
    }

    /** A bug in answering becomes SERVFAIL and a stack trace, never a dead server thread (every later query lost). */
    private Message respond(Message query) {
        AuthoritativeAnswers zones = authoritative;
        try {
            return zones != null ? zones.answer(query) : answer(query);
        } catch (RuntimeException e) {
            e.printStackTrace();
            Message failure = new Message(query.getHeader().getID());
            failure.getHeader().setFlag(Flags.QR);
            failure.getHeader().setRcode(Rcode.SERVFAIL);
            return failure;
        }
    }

    /** The response to a query, or null for no response at all (a timeout for the client). */
    Message answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (authenticated && (question == null || !insecure.contains(question.getName()))) {
            response.getHeader().setFlag(Flags.AD);
        }
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        int type = question.getType();
        Name name = question.getName();
        Set<Name> seen = new HashSet<>();
        for (int hop = 0; hop <= MAX_CHAIN; hop++) {
            if (servfail.contains(name) || !seen.add(name)) {
                response.getHeader().setRcode(Rcode.SERVFAIL);
                return response;
            }
            List<Record> records = zone.get(name);
            List<Record> ofType = records == null ? List.of()
                    : records.stream().filter(r -> r.getType() == type).toList();
            if (timesOut(name, type, ofType)) {
                return null;
            }
            if (records == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return withNegativeSoa(response);
            }
            if (!ofType.isEmpty()) {
                ofType.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            Record alias = records.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (alias == null) {
                return withNegativeSoa(response); // NODATA: NOERROR with an empty answer
            }
            response.addRecord(alias, Section.ANSWER);
            if (!chaseCnames) {
                return response;
            }
            name = ((CNAMERecord) alias).getTarget();
        }
        response.getHeader().setRcode(Rcode.SERVFAIL);
        return response;
    }

    private Message withNegativeSoa(Message response) {
        Record soa = negativeSoa;
        if (soa != null) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return response;
    }

    private boolean timesOut(Name name, int type, List<Record> ofType) {
        if (timeoutTyped.contains(name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type)) {
            return true;
        }
        return timeoutAll.contains(name) && ofType.isEmpty();
    }
}
