package dev.tern.auth;

/** The call-order rules of {@link SaslMechanism}, so each mechanism only says what to answer. */
abstract class AbstractMechanism implements SaslMechanism {

    private boolean started;
    private boolean finished;

    @Override
    public final SaslStep start(byte[] initialResponse) {
        if (started) {
            throw new IllegalStateException(name() + " exchange already started");
        }
        started = true;
        return track(first(initialResponse));
    }

    @Override
    public final SaslStep next(byte[] response) {
        if (!started || finished) {
            throw new IllegalStateException(name() + " exchange " + (started ? "already ended" : "not started"));
        }
        return track(respond(response == null ? new byte[0] : response));
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
