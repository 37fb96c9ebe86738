package dev.tern.queue.dsn;

/** RFC 3464 §2.3.3 action-value: what became of a recipient. */
public enum Action {
    /** Could not be delivered and will not be retried. */
    FAILED,
    /** Not delivered yet; still being retried. */
    DELAYED,
    /** Delivered to the recipient's mailbox here. */
    DELIVERED,
    /** Handed on to a system that does not report success (RFC 3461 §5.2.2): no further notice will come. */
    RELAYED;

    /** The keyword as written in the report. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
