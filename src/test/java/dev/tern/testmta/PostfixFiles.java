package dev.tern.testmta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of one private Postfix instance under its root directory: {@code conf/main.cf}, {@code conf/master.cf},
 * {@code conf/vmailbox} (for {@code postmap}), the TLS files copied into {@code conf/}, and the places named there:
 * {@code queue/}, {@code data/}, {@code mail/} (the Maildirs) and {@code maillog}.
 */
final class PostfixFiles {

    final Path root;
    final Path conf;
    final Path queue;
    final Path data;
    final Path mail;
    final Path maillog;

    PostfixFiles(Path root) {
        this.root = root;
        this.conf = root.resolve("conf");
        this.queue = root.resolve("queue");
        this.data = root.resolve("data");
        this.mail = root.resolve("mail");
        this.maillog = root.resolve("maillog");
    }

    Path mailboxMap() {
        return conf.resolve("vmailbox");
    }

    Path masterPid() {
        return queue.resolve("pid").resolve("master.pid");
    }

    /**
     * Writes the configuration for {@code settings} with smtpd on 127.0.0.1:{@code port}, mail stored as
     * {@code uid}:{@code gid}. The queue directory must exist (owned by root) before {@code postfix check} makes
     * its subdirectories; the data directory Postfix makes itself.
     */
    void write(PostfixSettings settings, int port, long uid, long gid) throws IOException {
        Files.createDirectories(conf);
        Files.createDirectories(queue);
        StringBuilder map = new StringBuilder();
        for (String local : settings.mailboxes()) {
            // The trailing slash makes virtual(8) deliver to a Maildir, not an mbox file.
            map.append(settings.address(local)).append('\t').append(settings.domain()).append('/').append(local)
                    .append("/\n");
        }
        Files.writeString(mailboxMap(), map, StandardCharsets.US_ASCII);
        Map<String, String> main = mainCf(settings, uid, gid);
        if (settings.certificateChain() != null) {
            // Copied, so the test may delete or replace its own files; smtpd reads them as root at start.
            Path chain = conf.resolve("chain.pem");
            Path key = conf.resolve("key.pem");
            Files.copy(settings.certificateChain(), chain, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(settings.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
            main.put("smtpd_tls_security_level", "may");
            main.put("smtpd_tls_chain_files", key + ", " + chain); // Postfix >= 3.4: the key, then its chain
        }
        main.putAll(new TreeMap<>(settings.overrides()));
        StringBuilder text = new StringBuilder("# A private Postfix instance for one test, written by PostfixPeer.\n");
        main.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        Files.writeString(conf.resolve("main.cf"), text, StandardCharsets.US_ASCII);
        Files.writeString(conf.resolve("master.cf"), masterCf(port), StandardCharsets.US_ASCII);
    }

    private Map<String, String> mainCf(PostfixSettings settings, long uid, long gid) {
        Map<String, String> main = new LinkedHashMap<>();
        main.put("compatibility_level", "3.6");
        // Its own directories and log file (maillog_file with postlogd, Postfix >= 3.4), nothing of the system's.
        main.put("queue_directory", queue.toString());
        main.put("data_directory", data.toString());
        main.put("maillog_file", maillog.toString());
        main.put("maillog_file_prefixes", root.toString());
        main.put("syslog_name", "postfix-peer");
        // Who it is: an MX for one domain, no local delivery, no aliases.
        main.put("myhostname", settings.hostname());
        main.put("myorigin", "$myhostname");
        main.put("mydestination", "");
        main.put("local_recipient_maps", "");
        main.put("alias_maps", "");
        main.put("alias_database", "");
        main.put("append_dot_mydomain", "no");
        main.put("biff", "no");
        main.put("smtpd_banner", "$myhostname ESMTP");
        // Loopback only. Tern connects from 127.0.0.1 as a stranger would: not a trusted network, so mail for
        // other domains is refused, and the message's header is not rewritten as a local client's would be.
        main.put("inet_interfaces", "loopback-only");
        main.put("inet_protocols", "ipv4");
        main.put("mynetworks", "");
        main.put("smtpd_relay_restrictions", "reject_unauth_destination");
        main.put("local_header_rewrite_clients", "");
        // The domain's mail goes to Maildirs under mail/<domain>/<local>/.
        main.put("virtual_mailbox_domains", settings.domain());
        main.put("virtual_mailbox_base", mail.toString());
        main.put("virtual_mailbox_maps", "hash:" + mailboxMap());
        main.put("virtual_uid_maps", "static:" + uid);
        main.put("virtual_gid_maps", "static:" + gid);
        main.put("virtual_minimum_uid", String.valueOf(uid)); // the default, 100, would refuse a low system uid
        // Nothing leaves loopback: no DNS, and no transport toward anywhere else (bounces included).
        main.put("default_transport", "error:5.7.1 this test instance delivers only to its own mailboxes");
        main.put("relay_transport", "error:5.7.1 this test instance delivers only to its own mailboxes");
        main.put("smtp_dns_support_level", "disabled");
        main.put("smtp_host_lookup", "native");
        main.put("smtpd_peername_lookup", "no");
        // TLS as the server side: off until a certificate is given; the Received field says whether it was used.
        main.put("smtpd_tls_security_level", "none");
        main.put("smtpd_tls_received_header", "yes");
        main.put("smtpd_tls_loglevel", "1");
        return main;
    }

    /**
     * smtpd on 127.0.0.1:{@code port} only (no port 25), and the services that queue and store mail, each outside
     * a chroot jail: a jail would be the queue directory, without the libraries and files the system's jail has.
     */
    private static String masterCf(int port) {
        return """
                # service type  private unpriv  chroot  wakeup  maxproc command
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                virtual   unix  -       n       n       -       -       virtual
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                """.formatted(port);
    }
}
