package dev.tern.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets file, in postsrsd's format so that an operator moving from postsrsd keeps the file and every
 * SRS address already out in the world still verifies: one secret a line, the first signs and verifies, the
 * others (older ones, kept while their addresses may still bounce back) only verify.
 */
public final class SrsSecretFile {

    /** Shorter secrets are refused: a guessed secret lets anyone relay through the forwarder. */
    public static final int MIN_LENGTH = 16;

    private SrsSecretFile() {
    }

    /** The secrets of {@code file}, first the signing one. */
    public static List<String> read(Path file) throws IOException {
        String problem = problem(file);
        if (problem != null) {
            throw new IOException(file + ": " + problem);
        }
        return lines(file);
    }

    /**
     * What is wrong with {@code file} as a secrets file, or null: missing, unreadable, readable by anyone
     * (the secret is what keeps the forwarder from being an open relay), empty or a secret too short.
     */
    public static String problem(Path file) {
        if (!Files.isRegularFile(file)) {
            return "no such file";
        }
        if (!Files.isReadable(file)) {
            return "cannot be read";
        }
        Optional<Set<PosixFilePermission>> permissions = permissions(file);
        if (permissions.isPresent() && permissions.get().contains(PosixFilePermission.OTHERS_READ)) {
            return "is readable by every user: chmod o-r it (its secret keeps the forwarder from relaying for"
                    + " anyone)";
        }
        List<String> secrets;
        try {
            secrets = lines(file);
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        if (secrets.isEmpty()) {
            return "holds no secret (one a line, the first signs)";
        }
        for (String secret : secrets) {
            if (secret.length() < MIN_LENGTH) {
                return "holds a secret shorter than " + MIN_LENGTH + " characters";
            }
        }
        return null;
    }

    private static Optional<Set<PosixFilePermission>> permissions(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(view.readAttributes().permissions());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String secret = line.strip();
            if (!secret.isEmpty()) {
                out.add(secret);
            }
        }
        return out;
    }
}
