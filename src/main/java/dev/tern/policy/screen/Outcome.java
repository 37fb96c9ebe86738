package dev.tern.policy.screen;

import dev.tern.policy.Verdict;

/**
 * What the screen decided before the greeting.
 *
 * @param verdict   {@link Verdict#ACCEPT} to greet the client, else the refusal to send instead of the 220
 * @param close     whether to close the connection after the refusal (an early talker) rather than answer
 *                  only QUIT (RFC 5321 §3.1: a 554 greeting, then 503 to all but QUIT)
 * @param vouchedBy what vouched for the client ({@code allowlist}, {@code dnswl:list.dnswl.org}), or null
 */
public record Outcome(Verdict verdict, boolean close, String vouchedBy) {

    static Outcome pass(String vouchedBy) {
        return new Outcome(Verdict.ACCEPT, false, vouchedBy);
    }

    static Outcome refuse(String text, boolean close) {
        return new Outcome(Verdict.permanent(554, "5.7.1", text), close, null);
    }

    public boolean refused() {
        return !verdict.accepted();
    }
}
