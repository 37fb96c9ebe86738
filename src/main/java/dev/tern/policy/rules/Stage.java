package dev.tern.policy.rules;

/**
 * The SMTP stages at which rules are evaluated, in the order a session passes them (RFC 5321 §3.1-§3.3).
 * Each stage knows the facts of the stages before it.
 */
public enum Stage {
    /** The connection is open: the client address is known. */
    CONNECT,
    /** After HELO/EHLO: the name the client gave. */
    HELO,
    /** After MAIL FROM: the sender, and the authenticated user if the client used AUTH. */
    MAIL,
    /** After each RCPT TO: one recipient. */
    RCPT
}
