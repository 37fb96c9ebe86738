/**
 * Local delivery handed to a mailbox server (Dovecot) over LMTP (RFC 2033), over a Unix domain socket or TCP:
 * {@code LmtpCourier} delivers a parcel with one reply per recipient after the final dot, each becoming that
 * recipient's outcome; {@code LmtpProbe} asks the same server at RCPT time whether a user exists and has room.
 */
package dev.tern.delivery.lmtp;
