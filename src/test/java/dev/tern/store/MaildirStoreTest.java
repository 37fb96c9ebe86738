package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirStoreTest implements MailboxStoreContract {

    @TempDir
    Path data;

    @Override
    public MailboxStore store() {
        return new MaildirStore(data, "mx.example.net");
    }

    @Override
    public List<byte[]> messagesOf(String user) throws IOException {
        return messagesOf(user, null);
    }

    @Override
    public List<byte[]> messagesOf(String user, String folder) throws IOException {
        int at = user.indexOf('@');
        Path box = data.resolve("mail").resolve(user.substring(at + 1)).resolve(user.substring(0, at));
        Path newDir = (folder == null ? box : box.resolve("." + folder)).resolve("new");
        List<byte[]> out = new ArrayList<>();
        if (Files.isDirectory(newDir)) {
            try (Stream<Path> files = Files.list(newDir)) {
                for (Path f : files.toList()) {
                    out.add(Files.readAllBytes(f));
                }
            }
        }
        return out;
    }

    @Test
    void layoutAndFileNameFollowTheMaildirConvention() throws IOException {
        Clock fixed = Clock.fixed(Instant.parse("2025-03-01T10:00:00.123456Z"), ZoneOffset.UTC);
        MaildirStore store = new MaildirStore(data, "mx.example.net", fixed);
        String where = store.deliver("Bob@Example.COM", "P: 1\r\n".getBytes(), new ByteArrayInputStream("ab\r\n".getBytes()));

        Path box = data.resolve("mail/example.com/bob");
        assertThat(box.resolve("tmp")).isEmptyDirectory();
        assertThat(box.resolve("cur")).isEmptyDirectory();
        Path file;
        try (Stream<Path> s = Files.list(box.resolve("new"))) {
            file = s.findFirst().orElseThrow();
        }
        String name = file.getFileName().toString();
        long pid = ProcessHandle.current().pid();
        assertThat(name).matches("1740823200\\.M123456P" + pid + "Q\\d+\\.mx\\.example\\.net,S=10");
        assertThat(Files.size(file)).isEqualTo(10);
        assertThat(where).isEqualTo("example.com/bob/new/" + name);
    }

    @Test
    void manyDeliveriesIntoOneMailboxAtOnceAllLandWhole() throws Exception {
        MaildirStore store = new MaildirStore(data, "mx.example.net");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] body = ("Subject: " + thread + "-" + i + "\r\n\r\n" + "x".repeat(100 * i) + "\r\n").getBytes();
                        store.deliver("list@example.com", new byte[0], new ByteArrayInputStream(body));
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(); // a failed directory sync would surface here
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> subjects = messagesOf("list@example.com").stream()
                .map(m -> new String(m).lines().findFirst().orElseThrow()).toList();
        assertThat(subjects).hasSize(320).doesNotHaveDuplicates();
        assertThat(data.resolve("mail/example.com/list/tmp")).isEmptyDirectory();
    }

    @Test
    void hostNameCharactersThatMaildirReservesAreEscaped() throws IOException {
        new MaildirStore(data, "odd/host:name").deliver("a@b.example", new byte[0], new ByteArrayInputStream(new byte[0]));
        try (Stream<Path> s = Files.list(data.resolve("mail/b.example/a/new"))) {
            assertThat(s.findFirst().orElseThrow().getFileName().toString()).contains(".odd\\057host\\072name,S=0");
        }
    }
}
