package dev.tern.policy.screen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A connection before the greeting: records the 220- lines, and says the client sent {@code early} (or nothing). */
final class FakeGreeting implements Greeting {

    final List<String> continuations = new ArrayList<>();
    int pendingCalls;
    private final byte[] early;

    FakeGreeting(String early) {
        this.early = early.getBytes(StandardCharsets.ISO_8859_1);
    }

    FakeGreeting() {
        this("");
    }

    @Override
    public void continuation(String text) {
        continuations.add(text);
    }

    @Override
    public byte[] pending(int max) {
        pendingCalls++;
        return java.util.Arrays.copyOf(early, Math.min(max, early.length));
    }
}
