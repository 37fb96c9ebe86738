package dev.tern.dns;

import java.net.InetAddress;

/**
 * One address to try for a mail domain: the MX host it belongs to, the address, and the MX preference
 * (0 for an implicit MX, RFC 5321 §5.1).
 */
public record Target(String host, InetAddress address, int preference) {}
