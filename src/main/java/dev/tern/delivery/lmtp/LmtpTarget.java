package dev.tern.delivery.lmtp;

import dev.tern.config.LmtpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where the LMTP server listens: a Unix domain socket (Dovecot's {@code /var/run/dovecot/lmtp}; RFC 2033 §5
 * warns against LMTP on port 25, and a local socket needs no port at all) or a TCP address.
 *
 * @param socket the socket file, or null for TCP
 * @param host   the host for TCP, or null for a socket
 * @param port   the TCP port
 */
record LmtpTarget(Path socket, String host, int port) {

    static LmtpTarget of(LmtpSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("[lmtp] names no socket or address");
        }
        return new LmtpTarget(settings.socket(), settings.host(), settings.port());
    }

    /** A new blocking channel of the right family, not yet connected. */
    SocketChannel open() throws IOException {
        if (socket != null) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // pipelined commands go out at once
        return channel;
    }

    SocketAddress address() {
        return socket != null ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress(host, port);
    }

    /** For the mail log and outcomes: {@code lmtp:unix:/run/dovecot/lmtp} or {@code lmtp:[127.0.0.1]:24}. */
    @Override
    public String toString() {
        return socket != null ? "lmtp:unix:" + socket : "lmtp:[" + host + "]:" + port;
    }
}
