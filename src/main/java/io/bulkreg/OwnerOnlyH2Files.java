package io.bulkreg;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * An H2 database file holds the deviceKeys (sealed only when a crypto key is configured) and H2 creates it under the
 * process's umask, often readable by everyone. bulkreg creates the folder owner-only (0700) when it is missing, the
 * {@code .mv.db} owner-only (rw-------) before H2 opens it, and makes every file of the database owner-only once open
 * (the trace and lock files H2 adds). A folder that exists keeps its mode: it is the operator's.
 */
@Component
class OwnerOnlyH2Files implements BeanPostProcessor, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(OwnerOnlyH2Files.class);
    private static final String OWNER_ONLY_FOLDER = "rwx------";
    private static final String OWNER_ONLY_FILE = "rw-------";

    private volatile Path database;

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null) {
            Optional<Path> file = H2SharedFile.filePath(ds.getJdbcUrl());
            if (file.isPresent()) {
                database = file.get();
                createOwnerOnly(file.get());
            }
        }
        return bean;
    }

    /** Once H2 has opened the database (Flyway migrated it during start-up): its files, owner-only. */
    @Override
    public void afterSingletonsInstantiated() {
        Path db = database;
        if (db == null || !Files.isDirectory(db.getParent())) {
            return;
        }
        String prefix = db.getFileName() + ".";
        try (Stream<Path> files = Files.list(db.getParent())) {
            files.filter(f -> f.getFileName().toString().startsWith(prefix) && Files.isRegularFile(f))
                    .forEach(OwnerOnlyH2Files::ownerOnly);
        } catch (IOException e) {
            log.warn("Cannot make the files of the H2 database {} owner-only: {}", db, e.toString());
        }
    }

    private static void createOwnerOnly(Path db) {
        try {
            Path folder = db.getParent();
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString(OWNER_ONLY_FOLDER)));
            }
            // Empty: H2 starts a new store in it, so the file never exists with the umask's mode.
            Files.createFile(db.resolveSibling(db.getFileName() + ".mv.db"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_FILE)));
        } catch (FileAlreadyExistsException e) {
            // an existing database: made owner-only once open
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot create the H2 database {} owner-only: {}", db, e.toString());
        }
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(OWNER_ONLY_FILE));
        } catch (IOException | UnsupportedOperationException e) {
            // Another user's file (a process of that user serves it) or no POSIX permissions: not ours to change.
            log.debug("cannot make {} owner-only: {}", file, e.toString());
        }
    }
}
