package dev.tern.auth;

/**
 * A mechanism whose check and final step are reported to the {@link AuthThrottle} through its
 * {@link AuthAttempt}: the mechanism's check was admitted (and counted) by the attempt before it ran; a
 * failure is then recorded (and its delay waited out) before it is returned, a success resets the account's
 * count, and a check that passed with the exchange still going (SCRAM's server-final) or that could not run
 * gives its reservation back.
 */
final class ThrottledMechanism implements SaslMechanism {

    private final SaslMechanism inner;
    private final AuthAttempt attempt;

    ThrottledMechanism(SaslMechanism inner, AuthAttempt attempt) {
        this.inner = inner;
        this.attempt = attempt;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        try {
            return report(inner.start(initialResponse));
        } finally {
            attempt.release(); // after an unexpected error; a no-op once the step was reported
        }
    }

    @Override
    public SaslStep next(byte[] response) {
        try {
            return report(inner.next(response));
        } finally {
            attempt.release();
        }
    }

    private SaslStep report(SaslStep step) {
        switch (step) {
            case SaslStep.Success success -> attempt.succeeded(success.user(), name());
            case SaslStep.Failure failure -> {
                try {
                    attempt.failed(failure.attemptedUser(), name(), failure.reasonForLog());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the server is stopping: reply at once
                }
            }
            case SaslStep.Unavailable unavailable -> {
                attempt.release();
                attempt.refused(unavailable.attemptedUser(), name(), unavailable.reasonForLog());
            }
            case SaslStep.Challenge challenge -> attempt.release();
        }
        return step;
    }
}
