package dev.tern.auth;

/**
 * A mechanism whose final step is reported to the {@link AuthThrottle}: a failure is recorded (and its delay
 * waited out) before it is returned, a success resets the account's count.
 */
final class ThrottledMechanism implements SaslMechanism {

    private final SaslMechanism inner;
    private final AuthThrottle throttle;
    private final String clientAddress;

    ThrottledMechanism(SaslMechanism inner, AuthThrottle throttle, String clientAddress) {
        this.inner = inner;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        return report(inner.start(initialResponse));
    }

    @Override
    public SaslStep next(byte[] response) {
        return report(inner.next(response));
    }

    private SaslStep report(SaslStep step) {
        switch (step) {
            case SaslStep.Success success -> throttle.succeeded(clientAddress, success.user(), name());
            case SaslStep.Failure failure -> {
                try {
                    throttle.failed(clientAddress, failure.attemptedUser(), name(), failure.reasonForLog());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the server is stopping: reply at once
                }
            }
            case SaslStep.Challenge challenge -> {
            }
        }
        return step;
    }
}
