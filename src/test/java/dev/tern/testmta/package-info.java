/**
 * Real mail servers from the operating system run as test peers on loopback, where a scripted peer
 * ({@code testsmtp}) would only show what the test already assumes: {@link dev.tern.testmta.PostfixPeer} is a
 * private Postfix instance (its own configuration, queue, log and Maildirs in a temporary directory) that Tern
 * delivers to, with or without STARTTLS and with the certificate a test gives it.
 */
package dev.tern.testmta;
