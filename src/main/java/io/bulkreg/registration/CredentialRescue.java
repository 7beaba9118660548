package io.bulkreg.registration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

    private static final String SUFFIX = ".credentials.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    public CredentialRescue(FaultProperties properties) {
        this.dir = properties.rescueDir();
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

    public Path save(RequestId requestId, List<StoredCredential> credentials) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(requestId + SUFFIX + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, JSON.writeValueAsBytes(credentials));
            Path file = dir.resolve(requestId + SUFFIX);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credential rescue file for request " + requestId, e);
        }
    }

    public List<Rescued> pending() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Rescued> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                List<StoredCredential> credentials = JSON.readValue(Files.readAllBytes(file),
                        new TypeReference<List<StoredCredential>>() { });
                found.add(new Rescued(new RequestId(name.substring(0, name.length() - SUFFIX.length())), credentials, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the credential rescue folder " + dir, e);
        }
        return found;
    }

    public void done(Rescued rescued) {
        try {
            Files.deleteIfExists(rescued.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stored rescue file " + rescued.file(), e);
        }
    }
}
