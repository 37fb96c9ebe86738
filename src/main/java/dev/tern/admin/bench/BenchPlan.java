package dev.tern.admin.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What one benchmark run sends, and where.
 *
 * @param host          the SMTP server's address
 * @param port          its port
 * @param messages      messages to send in total
 * @param connections   connections open at once (each on its own virtual thread)
 * @param perConnection messages sent over one connection before QUIT and a fresh connection
 * @param pipelining    send MAIL, RCPT and DATA in one group when the server offers PIPELINING (RFC 2920)
 * @param timeout       read timeout for each reply
 */
public record BenchPlan(String host, int port, long messages, int connections, int perConnection,
                        boolean pipelining, Duration timeout) {

    public BenchPlan {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        if (messages < 1 || connections < 1 || perConnection < 1) {
            throw new IllegalArgumentException("messages, connections and per-connection must be at least 1");
        }
    }
}
