package dev.tern.policy.spf;

/** Stops an evaluation with {@code permerror} or {@code temperror}: RFC 7208 §2.6.6 and §2.6.7. */
final class SpfException extends Exception {

    private final SpfOutcome outcome;

    private SpfException(SpfOutcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    static SpfException perm(String message) {
        return new SpfException(SpfOutcome.PERMERROR, message);
    }

    static SpfException temp(String message) {
        return new SpfException(SpfOutcome.TEMPERROR, message);
    }

    SpfOutcome outcome() {
        return outcome;
    }
}
