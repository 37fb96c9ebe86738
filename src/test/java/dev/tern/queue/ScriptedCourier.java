package dev.tern.queue;

import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Recipient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A courier that answers from a script: a recipient listed in {@code deferTimes} is deferred that many
 * times, then delivered; one in {@code failing} fails; everyone else is delivered. It records every call.
 */
final class ScriptedCourier implements Courier {

    record Call(String id, List<String> recipients, byte[] content) {
    }

    private final Map<String, Integer> deferTimes = new ConcurrentHashMap<>();
    private final Map<String, String> deferCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private volatile String failing = "";

    ScriptedCourier defer(String address, int times) {
        deferTimes.put(address, times);
        return this;
    }

    /** As {@link #defer(String, int)}, with this RFC 3463 code (4.2.2 for a full mailbox). */
    ScriptedCourier defer(String address, int times, String code) {
        deferCodes.put(address, code);
        return defer(address, times);
    }

    ScriptedCourier fail(String address) {
        failing = address;
        return this;
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        byte[] content;
        try (InputStream in = parcel.content().open()) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            calls.add(new Call(parcel.id().value(),
                    parcel.recipients().stream().map(r -> r.address().toString()).toList(), content));
        }
        List<Outcome> out = new ArrayList<>();
        for (Recipient r : parcel.recipients()) {
            String a = r.address().toString();
            int n = seen.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
            if (a.equals(failing)) {
                out.add(Outcome.failed(r, "5.1.1", "no such user", "test"));
            } else if (n <= deferTimes.getOrDefault(a, 0)) {
                out.add(Outcome.deferred(r, deferCodes.getOrDefault(a, "4.2.0"), "try later " + n, "test"));
            } else {
                out.add(Outcome.delivered(r, "test/" + a));
            }
        }
        return out;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
