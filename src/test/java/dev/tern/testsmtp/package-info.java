/**
 * SMTP servers on loopback for tests, as {@code testdns} is for DNS: {@link dev.tern.testsmtp.ScriptedPeer}
 * (replies scripted by command prefix, TLS and AUTH, for the SMTP client), {@link dev.tern.testsmtp.PeerServer}
 * (a recording peer for end-to-end delivery, with delays and gates), {@link dev.tern.testsmtp.SmtpSink} (a fast
 * sink for the bench), {@link dev.tern.testsmtp.TricklingPeer} (a hostile server that never finishes a reply) and
 * {@link dev.tern.testsmtp.StartTlsProxy} (a machine on the path that reads the clear text and can strip STARTTLS).
 */
package dev.tern.testsmtp;
