package dev.tern.auth;

/**
 * A password check that may not run now: its account or client is throttled, or every checker stayed busy
 * for the whole wait. Unchecked, so it passes through a mechanism to {@link ThrottledMechanism}, which
 * answers {@link SaslStep.Unavailable}; the mechanism's exchange ends there.
 */
final class CheckRefused extends RuntimeException {

    private final String attemptedUser;

    CheckRefused(String attemptedUser, String reason) {
        super(reason, null, false, false);
        this.attemptedUser = attemptedUser;
    }

    /** The login whose check was refused. */
    String attemptedUser() {
        return attemptedUser;
    }
}
