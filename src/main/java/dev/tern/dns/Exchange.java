package dev.tern.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The queries of one lookup, as dnsjava's {@code LookupSession} asks them while it follows CNAMEs: each is
 * answered from the {@link ResponseCache}, or else by the configured servers in their order, for
 * {@code 1 + retries} rounds. The last question is kept, and whether every response had the AD bit, for what
 * {@code LookupSession} does not tell: whether the answer is authenticated (dnsjava 3.6 keeps its own flag
 * package-private) and which name of a chain failed.
 *
 * <p>The rounds stay here rather than in dnsjava's {@code ExtendedResolver}: that one reorders the servers
 * by their past failures (Tern asks them in the configured order) and bounds a try only by its NIO
 * selector's one-second tick, where {@link Resolver#send} bounds it by {@code [dns] timeout} exactly.
 * Each query is answered on the caller's (virtual) thread, so a lookup blocks as it always has; an exchange
 * belongs to one lookup and is not shared between threads.
 */
final class Exchange implements Resolver {

    private final List<SimpleResolver> servers;
    private final int retries;
    private final ResponseCache cache;
    private Name lastName;
    private int lastType;
    private Message lastResponse;
    private boolean everyResponseAuthenticated = true;

    Exchange(List<SimpleResolver> servers, int retries, ResponseCache cache) {
        this.servers = servers;
        this.retries = retries;
        this.cache = cache;
    }

    /** A response whose RCODE is neither NOERROR nor NXDOMAIN: temporary (SERVFAIL, REFUSED, ...). */
    static final class RcodeFailure extends RuntimeException {
        RcodeFailure(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        Record question = query.getQuestion();
        lastName = question.getName();
        lastType = question.getType();
        Message previous = lastResponse;
        lastResponse = null;
        Message response;
        try {
            response = answers(previous, lastName, lastType) ? previous : ask(query, lastName, lastType);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        lastResponse = response;
        everyResponseAuthenticated &= response.getHeader().getFlag(Flags.AD);
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return CompletableFuture.failedFuture(new RcodeFailure(Rcode.string(rcode) + " for " + lastName
                    + " " + Type.string(lastType)));
        }
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return sendAsync(query, Runnable::run);
    }

    /** The name and type of the last query, as a failure names them ("example.org. TXT"). */
    String lastQuestion() {
        return lastName + " " + Type.string(lastType);
    }

    /**
     * Whether the records are authenticated (RFC 4035 §3.2.3): the AD bit on every response of this lookup, not
     * only on the last. When {@code LookupSession} follows a CNAME with a second query, an answer is no better
     * than the weakest link of its chain (RFC 7672 §2.2.2: an insecure alias makes the target insecure too).
     */
    boolean lastAuthenticated() {
        return lastResponse != null && everyResponseAuthenticated;
    }

    /**
     * Whether the last response answers this question already: DnsjavaResolver asks the first query itself and
     * hands a CNAME or DNAME to LookupSession, which starts with the same question.
     */
    private static boolean answers(Message previous, Name name, int type) {
        Record question = previous == null ? null : previous.getQuestion();
        return question != null && question.getType() == type && question.getName().equals(name);
    }

    private Message ask(Message query, Name name, int type) throws IOException {
        Message cached = cache.get(name, type);
        if (cached != null) {
            return cached;
        }
        // RFC 6840 §5.7: ask a validating resolver to report whether the answer is authenticated (for DANE).
        query.getHeader().setFlag(Flags.AD);
        Message response = askServers(query);
        cache.put(name, type, response);
        return response;
    }

    private Message askServers(Message query) throws IOException {
        IOException last = null;
        for (int round = 0; round <= retries; round++) {
            for (SimpleResolver resolver : servers) {
                try {
                    return resolver.send(query);
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw last;
    }

    // LookupSession only sends; the servers are configured where they are made (DnsjavaResolver).

    @Override
    public void setPort(int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setTCP(boolean flag) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setTSIGKey(TSIG key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setTimeout(Duration timeout) {
        throw new UnsupportedOperationException();
    }
}
