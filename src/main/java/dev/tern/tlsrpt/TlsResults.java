package dev.tern.tlsrpt;

/**
 * Where the courier tells how each TLS session toward a policy domain went, for the daily reports of RFC 8460.
 * Called on the delivery path: implementations only count, in memory or with an append, and never throw.
 */
@FunctionalInterface
public interface TlsResults {

    /** Nothing is recorded (TLS reporting off). */
    TlsResults NONE = outcome -> { };

    void record(TlsOutcome outcome);
}
