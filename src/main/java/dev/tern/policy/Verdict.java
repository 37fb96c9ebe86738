package dev.tern.policy;

/**
 * A policy decision at one SMTP stage, with the reply to give when it is not an acceptance.
 *
 * @param kind     accept, temporary refusal (4xx) or permanent refusal (5xx)
 * @param code     RFC 5321 reply code (250 for accept)
 * @param enhanced RFC 3463 enhanced status code
 * @param text     reply text for the client; never internal details (invariant 6)
 */
public record Verdict(Kind kind, int code, String enhanced, String text) {

    public enum Kind { ACCEPT, TEMPORARY, PERMANENT }

    public static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, 250, "2.1.5", "Recipient OK");

    public static Verdict permanent(int code, String enhanced, String text) {
        return new Verdict(Kind.PERMANENT, code, enhanced, text);
    }

    public static Verdict temporary(int code, String enhanced, String text) {
        return new Verdict(Kind.TEMPORARY, code, enhanced, text);
    }

    public boolean accepted() {
        return kind == Kind.ACCEPT;
    }
}
