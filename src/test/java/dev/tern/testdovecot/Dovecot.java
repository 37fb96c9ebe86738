package dev.tern.testdovecot;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot from Debian ({@code dovecot-lmtpd}, {@code dovecot-imapd}, {@code dovecot-sieve}) for the
 * tests: its configuration written here into a temporary directory that also holds its {@code base_dir}, its log
 * and the users' Maildirs; users and passwords in a {@code passwd-file}; LMTP on a Unix socket and on a loopback
 * port, IMAP on a loopback port; the quota plugin ({@code lmtp_rcpt_check_quota}, {@code quota_full_tempfail}
 * so a full mailbox gets {@code 452 4.2.2}); a {@code sieve_before} script filing mail whose subject holds
 * {@code [lists]} into the folder {@code Lists}.
 *
 * <p>As root (CI), the mail processes run as {@code nobody}, owner of the mail directories, and Dovecot's own
 * processes as its package's users {@code dovecot} and {@code dovenull}; as anyone else, everything runs as the
 * current user.
 */
public final class Dovecot implements AutoCloseable {

    /** The folder the Sieve rule files into. */
    public static final String SIEVE_FOLDER = "Lists";
    /** What the Sieve rule looks for in the subject. */
    public static final String SIEVE_TAG = "[lists]";
    private static final String DOMAIN = "example.test";
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    /**
     * A test user.
     *
     * @param local   the local part; the address is {@code local@example.test}
     * @param quota   a storage limit such as {@code "1K"}, or null for the default (10M)
     * @param filled  octets of old mail already in the mailbox when Dovecot starts (0: none)
     */
    public record User(String local, String quota, int filled) {
        public String address() {
            return local + "@" + DOMAIN;
        }
    }

    private final Path dir;
    private final Path config;
    private final int lmtpPort;
    private final int imapPort;
    private boolean stopped;

    private Dovecot(Path dir, int lmtpPort, int imapPort) {
        this.dir = dir;
        this.config = dir.resolve("dovecot.conf");
        this.lmtpPort = lmtpPort;
        this.imapPort = imapPort;
    }

    /** Starts Dovecot with {@code users} (password {@code secret}) under {@code dir}; fails saying what to install. */
    public static Dovecot start(Path dir, List<User> users) throws IOException, InterruptedException {
        requireInstalled();
        Dovecot dovecot = new Dovecot(dir.toAbsolutePath(), freePort(), freePort());
        dovecot.write(users);
        dovecot.run(List.of("/usr/sbin/dovecot", "-c", dovecot.config.toString()));
        dovecot.awaitReady();
        return dovecot;
    }

    private static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        check("/usr/sbin/dovecot", "dovecot-core", missing);
        check("/usr/lib/dovecot/lmtp", "dovecot-lmtpd", missing);
        check("/usr/lib/dovecot/imap", "dovecot-imapd", missing);
        check("/usr/lib/dovecot/modules/lib90_sieve_plugin.so", "dovecot-sieve", missing);
        if (!missing.isEmpty()) {
            throw new AssertionError("these tests need a real Dovecot: apt-get install " + String.join(" ", missing));
        }
    }

    private static void check(String file, String pkg, List<String> missing) {
        if (!Files.exists(Path.of(file))) {
            missing.add(pkg);
        }
    }

    public Path lmtpSocket() {
        return dir.resolve("run/lmtp");
    }

    public int lmtpPort() {
        return lmtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    public static String address(String local) {
        return local + "@" + DOMAIN;
    }

    public static String domain() {
        return DOMAIN;
    }

    /** Dovecot's own log, for assertion messages. */
    public String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    private void write(List<User> users) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        openWay(dir.getParent());
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Path sieve = Files.createDirectories(dir.resolve("sieve"));
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(sieve.resolve("before.sieve"), """
                require ["fileinto", "mailbox"];
                if header :contains "subject" "%s" {
                  fileinto :create "%s";
                }
                """.formatted(SIEVE_TAG, SIEVE_FOLDER));
        String uid = root ? id("-u", "nobody") : id("-u");
        String gid = root ? id("-g", "nobody") : id("-g");
        StringBuilder passwd = new StringBuilder();
        for (User u : users) {
            Path home = mail.resolve(u.local());
            fill(home, u.filled());
            passwd.append(u.address()).append(":{PLAIN}secret:").append(uid).append(':').append(gid).append("::")
                    .append(home).append("::").append(u.quota() == null ? "" : "userdb_quota_rule=*:storage=" + u.quota())
                    .append('\n');
        }
        Files.writeString(dir.resolve("users"), passwd);
        String internal = root ? "dovecot" : System.getProperty("user.name");
        String login = root ? "dovenull" : System.getProperty("user.name");
        Files.writeString(config, configuration(internal, login));
        if (root) { // the mail processes run as nobody: they write the mail and the compiled Sieve script
            run(List.of("chown", "-R", uid + ":" + gid, mail.toString(), sieve.toString()));
        }
    }

    /**
     * Dovecot's processes run as other users ({@code dovecot}, {@code dovenull}, the mail user): the temporary
     * directories above {@code dir} that only we may enter (JUnit makes them 0700) get others' search permission.
     */
    private static void openWay(Path from) throws IOException {
        for (Path p = from; p != null && p.getParent() != null; p = p.getParent()) {
            var permissions = Files.getPosixFilePermissions(p);
            if (permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return;
            }
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, permissions);
        }
    }

    private String configuration(String internalUser, String loginUser) {
        return """
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                instance_name = tern-test-%2$d
                protocols = lmtp imap
                listen = 127.0.0.1
                default_internal_user = %3$s
                default_login_user = %4$s
                first_valid_uid = 1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                mail_location = maildir:~/Maildir
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%Lu %1$s/users
                }
                userdb {
                  driver = passwd-file
                  args = username_format=%%Lu %1$s/users
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %5$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service lmtp {
                  unix_listener lmtp {
                    mode = 0666
                  }
                  inet_listener lmtp {
                    address = 127.0.0.1
                    port = %2$d
                  }
                }
                service stats {
                  unix_listener stats-reader {
                    mode = 0666
                  }
                  unix_listener stats-writer {
                    mode = 0666
                  }
                }
                protocol lmtp {
                  mail_plugins = quota sieve
                }
                lmtp_rcpt_check_quota = yes
                quota_full_tempfail = yes
                plugin {
                  quota = maildir:User quota
                  quota_rule = *:storage=10M
                  sieve_before = %1$s/sieve/before.sieve
                }
                """.formatted(dir, lmtpPort, internalUser, loginUser, imapPort);
    }

    /** Old mail of {@code octets} in {@code home}'s Maildir, so the mailbox starts over a small quota. */
    private static void fill(Path home, int octets) throws IOException {
        Path cur = Files.createDirectories(home.resolve("Maildir/cur"));
        Files.createDirectories(home.resolve("Maildir/new"));
        Files.createDirectories(home.resolve("Maildir/tmp"));
        if (octets > 0) {
            byte[] message = ("Subject: old mail\r\n\r\n" + "x".repeat(octets)).getBytes(StandardCharsets.US_ASCII);
            Files.write(cur.resolve("1700000000.M1P1.test,S=" + message.length + ":2,S"), message);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(lmtpSocket(), LinkOption.NOFOLLOW_LINKS) && accepts(imapPort) && accepts(lmtpPort)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Dovecot did not start within " + START_WAIT + ":\n" + log());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String id(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("id"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("id " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    /** Runs a command to its end; its output goes to a file, as the Dovecot daemon it starts keeps a pipe open. */
    private void run(List<String> command) throws IOException, InterruptedException {
        Path output = dir.resolve("command.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new AssertionError(String.join(" ", command) + " failed: " + Files.readString(output) + "\n" + log());
        }
    }

    /** Stops this Dovecot ({@code doveadm stop}) and waits for its master process to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        Path pidFile = dir.resolve("run/master.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        run(List.of("/usr/bin/doveadm", "-c", config.toString(), "stop"));
        if (pid > 0) {
            var master = ProcessHandle.of(pid);
            if (master.isPresent()) {
                try {
                    master.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException("Dovecot's master process " + pid + " did not end", e);
                }
            }
        }
    }
}
