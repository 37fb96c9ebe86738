package dev.tern.auth;

/**
 * The call-order rules of {@link SaslMechanism}, so each mechanism only says what to answer; a check its
 * {@link CheckGate} refused ends the exchange as {@link SaslStep.Unavailable}.
 */
abstract class AbstractMechanism implements SaslMechanism {

    private boolean started;
    private boolean finished;

    @Override
    public final SaslStep start(byte[] initialResponse) {
        if (started) {
            throw new IllegalStateException(name() + " exchange already started");
        }
        started = true;
        try {
            return track(first(initialResponse));
        } catch (CheckRefused e) {
            return track(new SaslStep.Unavailable(e.attemptedUser(), e.getMessage()));
        }
    }

    @Override
    public final SaslStep next(byte[] response) {
        if (!started || finished) {
            throw new IllegalStateException(name() + " exchange " + (started ? "already ended" : "not started"));
        }
        try {
            return track(respond(response == null ? new byte[0] : response));
        } catch (CheckRefused e) {
            return track(new SaslStep.Unavailable(e.attemptedUser(), e.getMessage()));
        }
    }

    private SaslStep track(SaslStep step) {
        finished = !(step instanceof SaslStep.Challenge);
        return step;
    }

    /** The answer to {@code AUTH}, with its initial response or null. */
    abstract SaslStep first(byte[] initialResponse);

    /** The answer to the client's response to the last challenge. */
    abstract SaslStep respond(byte[] response);
}
