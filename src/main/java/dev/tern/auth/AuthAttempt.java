package dev.tern.auth;

/**
 * One AUTH exchange's dealings with the {@link AuthThrottle}: the gate its mechanism asks before the check
 * (which reserves the check's place in the counts), then the outcome, which turns the reservation into a
 * failure, gives it back on success, or gives it back when the check ended otherwise. Used by one session
 * thread.
 */
final class AuthAttempt implements CheckGate {

    private final AuthThrottle throttle;
    private final String clientAddress;
    private String admitted; // the login whose check holds a reservation; null while none does

    AuthAttempt(AuthThrottle throttle, String clientAddress) {
        this.throttle = throttle;
        this.clientAddress = clientAddress;
    }

    @Override
    public void admit(String login) {
        if (admitted != null) {
            throw new IllegalStateException("one check per exchange");
        }
        throttle.admit(clientAddress, login).ifPresent(reason -> {
            throw new CheckRefused(login, reason);
        });
        admitted = login;
    }

    /** Whether a check was admitted and not yet settled. */
    boolean holdsReservation() {
        return admitted != null;
    }

    /** The exchange failed: a reserved check becomes a failure (counted under the admitted login). */
    void failed(String attemptedUser, String mechanism, String reason) throws InterruptedException {
        boolean reserved = admitted != null;
        String user = reserved ? admitted : attemptedUser;
        admitted = null;
        throttle.failed(clientAddress, user, mechanism, reason, reserved);
    }

    void succeeded(String user, String mechanism) {
        boolean reserved = admitted != null;
        admitted = null;
        throttle.succeeded(clientAddress, user, mechanism, reserved);
    }

    /** The check passed but the exchange goes on (SCRAM's server-final), or it ended in an error. */
    void release() {
        if (admitted != null) {
            throttle.release(clientAddress, admitted);
            admitted = null;
        }
    }

    void refused(String attemptedUser, String mechanism, String reason) {
        throttle.refused(clientAddress, attemptedUser, mechanism, reason);
    }
}
