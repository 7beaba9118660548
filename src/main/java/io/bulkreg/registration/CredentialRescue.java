package io.bulkreg.registration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last line of defence of a deviceKey: when the database refuses the credentials of an answer, they are
 * written to a file (owner-only, encrypted when a key is configured) and stored by the next run, instead of
 * being lost with the process.
 */
@Component
public class CredentialRescue {

    /** One rescued answer. */
    public record Rescued(RequestId requestId, List<StoredCredential> credentials, Path file) {
    }

    private static final Logger log = LoggerFactory.getLogger(CredentialRescue.class);
    private static final String SUFFIX = ".credentials.json";
    private static final String UNREADABLE = ".unreadable";
    private static final String ANSWER_SUFFIX = ".answer.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    /**
     * Where a rescue goes when the rescue folder refuses it: under {@code bulkreg.faults.rescue-fallback-dir}, or else
     * the temporary folder, often another file system than a volume that filled up; one per rescue folder there, so
     * that two installations on a host never take each other's keys.
     */
    private final Path fallbackDir;

    public CredentialRescue(FaultProperties properties) {
        this.dir = properties.rescueDir();
        String owner = Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode());
        Path parent = properties.rescueFallbackDir() != null ? properties.rescueFallbackDir()
                : Path.of(System.getProperty("java.io.tmpdir"));
        // A folder of its own even under a configured parent: two installations given one path never take each
        // other's keys (the next run of each moves what it finds into its own database).
        this.fallbackDir = parent.resolve("bulkreg-rescue-" + owner);
    }

    /** The fallback folder of this rescue folder (operators: look there too when the rescue folder was full). */
    public Path fallbackDir() {
        return fallbackDir;
    }

    /**
     * Checked before any request of a run: a rescue that cannot be written would lose keys exactly when it is
     * needed (a read-only working directory in a container, say).
     */
    public void ensureWritable() {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, "probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new RunAbortedException("the credential rescue folder " + dir.toAbsolutePath() + " is not writable ("
                    + e.getMessage() + "): set bulkreg.faults.rescue-dir to a writable folder (a volume in Kubernetes); "
                    + "nothing was sent");
        }
    }

    /**
     * Writes the credentials to an owner-only file, synced to disk before it is renamed into place, in the rescue
     * folder or, when that cannot be written (full, read-only, missing volume), in the fallback folder.
     *
     * @throws UncheckedIOException when neither folder takes the file
     */
    public Path save(RequestId requestId, List<StoredCredential> credentials) {
        return saveFile(requestId + SUFFIX, requestId.toString(), JSON.writeValueAsBytes(credentials));
    }

    /**
     * Writes an answer kept for {@code reconcile} that the database refused (sealed, or as received when sealing
     * failed), like credentials: owner-only, synced, in the rescue folder or the fallback folder.
     *
     * @throws UncheckedIOException when neither folder takes the file
     */
    public Path saveAnswer(KeptAnswer answer) {
        return saveFile(answer.requestId() + ANSWER_SUFFIX, answer.requestId(), JSON.writeValueAsBytes(answer));
    }

    private Path saveFile(String name, String requestId, byte[] content) {
        IOException first;
        try {
            return write(dir, name, content);
        } catch (IOException e) {
            first = e;
            log.error("The credential rescue folder {} refused the credentials of request {} ({}): trying {}",
                    dir.toAbsolutePath(), requestId, e.toString(), fallbackDir);
        }
        try {
            return write(fallbackDir, name, content);
        } catch (IOException e) {
            e.addSuppressed(first);
            throw new UncheckedIOException("cannot write the credential rescue file for request " + requestId + " in "
                    + dir.toAbsolutePath() + " nor in " + fallbackDir, e);
        }
    }

    private Path write(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path tmp = folder.resolve(name + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);   // on disk before the name says it is complete
        }
        Path file = folder.resolve(name);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel folderChannel = FileChannel.open(folder, StandardOpenOption.READ)) {
            folderChannel.force(true);   // the rename too
        } catch (IOException e) {
            log.debug("cannot sync the folder {}: {}", folder, e.toString());
        }
        return file;
    }

    /**
     * The rescued answers waiting in the rescue folder and the fallback folder. A file that cannot be read is moved
     * aside ({@code .unreadable}) and reported, so that it cannot fail every later run; its keys are for a person.
     */
    public List<Rescued> pending() {
        List<Rescued> found = new ArrayList<>();
        for (Path folder : List.of(dir, fallbackDir)) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(folder)) {
                files = listing.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the credential rescue folder " + folder, e);
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    List<StoredCredential> credentials = JSON.readValue(Files.readAllBytes(file),
                            new TypeReference<List<StoredCredential>>() { });
                    found.add(new Rescued(new RequestId(name.substring(0, name.length() - SUFFIX.length())), credentials,
                            file));
                } catch (IOException | RuntimeException e) {
                    quarantine(file, e);
                }
            }
        }
        return found;
    }

    /** An answer kept in a file, waiting to be moved to the database. */
    public record RescuedAnswer(KeptAnswer answer, Path file) {
    }

    /** The kept answers waiting in the rescue folder and the fallback folder; an unreadable file is moved aside. */
    public List<RescuedAnswer> pendingAnswers() {
        List<RescuedAnswer> found = new ArrayList<>();
        for (Path folder : List.of(dir, fallbackDir)) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(folder)) {
                files = listing.filter(f -> f.getFileName().toString().endsWith(ANSWER_SUFFIX)).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the credential rescue folder " + folder, e);
            }
            for (Path file : files) {
                try {
                    found.add(new RescuedAnswer(JSON.readValue(Files.readAllBytes(file), KeptAnswer.class), file));
                } catch (IOException | RuntimeException e) {
                    quarantine(file, e);
                }
            }
        }
        return found;
    }

    /** Removes a kept answer's file once the database holds the answer. */
    public void done(RescuedAnswer rescued) {
        try {
            Files.deleteIfExists(rescued.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the kept answer file " + rescued.file(), e);
        }
    }

    private void quarantine(Path file, Exception cause) {
        Path aside = file.resolveSibling(file.getFileName() + UNREADABLE);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.error("The rescue file {} cannot be read ({}): moved to {} for a person to look at; its devices stay as "
                    + "they are (IN_FLIGHT devices become IN_DOUBT)", file, cause.toString(), aside);
        } catch (IOException e) {
            log.error("The rescue file {} cannot be read ({}) nor moved aside ({})", file, cause.toString(), e.toString());
        }
    }

    public void done(Rescued rescued) {
        try {
            Files.deleteIfExists(rescued.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stored rescue file " + rescued.file(), e);
        }
    }
}
