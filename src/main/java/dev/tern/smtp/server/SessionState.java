package dev.tern.smtp.server;

/**
 * What one SMTP session knows of its client at a given moment: who it said it is (HELO/EHLO), who it proved it
 * is (AUTH), whether its network is trusted, and the mail transaction under way. The session and its pieces
 * ({@link MessageReception}, {@link AuthExchange}, {@link AuthenticationStep}) share this one object instead
 * of reaching into each other's fields.
 */
final class SessionState {

    /** The client is in a trusted network (may relay; its mail is ours, not checked but signed). */
    private final boolean trusted;
    private String helo;
    private boolean extended;
    /** The authenticated user (RFC 4954), or null. */
    private String authUser;
    private Transaction transaction;
    /** Why the client is vouched for (a DNS allow list, the screen's allow list), or null. */
    private String vouchedBy;

    SessionState(boolean trusted) {
        this.trusted = trusted;
    }

    /** The HELO/EHLO name, or null before the first accepted greeting (and after STARTTLS). */
    String helo() {
        return helo;
    }

    /** Whether the client greeted with EHLO rather than HELO. */
    boolean extended() {
        return extended;
    }

    /** The authenticated user, or null. */
    String authUser() {
        return authUser;
    }

    boolean trusted() {
        return trusted;
    }

    /**
     * Records that an allow list vouched for this client (a DNSWL zone, a configured allow list), so that
     * later checks meant for unknown clients (greylisting, the greet pause) can let it pass.
     *
     * @param source what vouched, as the mail log names it: {@code dnswl:list.dnswl.org}
     */
    void vouchedFor(String source) {
        vouchedBy = source;
    }

    /** What vouched for this client, or null when nothing did. */
    String vouchedBy() {
        return vouchedBy;
    }

    /** The transaction under way, or null. */
    Transaction transaction() {
        return transaction;
    }

    /** Invariant 3: only authenticated users and configured trusted networks may send to other domains. */
    boolean mayRelay() {
        return authUser != null || trusted;
    }

    /** An accepted HELO or EHLO: any transaction ends (RFC 5321 §4.1.4). */
    void greeted(String name, boolean ehlo) {
        endTransaction();
        helo = name;
        extended = ehlo;
    }

    /** A successful AUTH (RFC 4954 §4). */
    void authenticated(String user) {
        authUser = user;
    }

    /** After STARTTLS nothing said before counts (RFC 3207 §4.2): no greeting, no user. */
    void startOver() {
        helo = null;
        extended = false;
        authUser = null;
    }

    /** A MAIL accepted: the transaction begins. */
    void begin(Transaction started) {
        transaction = started;
    }

    /** The message was committed: the transaction is over and its draft is the spool's now. */
    void committed() {
        transaction = null;
    }

    /** Ends the transaction, discarding any unfinished message (RSET, EHLO, a refusal, the end of the session). */
    void endTransaction() {
        if (transaction != null) {
            transaction.abort();
            transaction = null;
        }
    }
}
