package io.bulkreg;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * An H2 file database is opened by one process at a time (FILE_LOCK=FS), yet an operator runs `status`, `report`
 * or `stop` while the nightly run holds it. H2's AUTO_SERVER cannot be used (it refuses DB_CLOSE_ON_EXIT=FALSE,
 * which GracefulStop needs), so bulkreg does the same by hand: the process that opens the file serves it to the
 * processes of this host over H2's TCP server on 127.0.0.1 (H2's "mixed mode"), and writes the port beside the file
 * ({@code NAME.server}, with its pid); a later process finding a live owner there connects through it instead.
 */
@Component
class H2SharedFile implements BeanPostProcessor, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(H2SharedFile.class);

    private final ObjectProvider<DataSource> dataSource;
    private volatile Path ownedServerFile;
    private volatile Object server;
    private volatile Path embeddedDatabase;

    H2SharedFile(ObjectProvider<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null) {
            Optional<Path> file = filePath(ds.getJdbcUrl());
            if (file.isPresent()) {
                Optional<Integer> port = servedBy(serverFile(file.get()));
                if (port.isPresent()) {
                    // Another process holds the file: go through its server (the settings are the owner's).
                    ds.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + port.get() + "/" + file.get());
                } else {
                    embeddedDatabase = file.get();
                }
            }
        }
        return bean;
    }

    /** Once the database is open here: serve it to the other processes of this host. */
    @Override
    public void afterSingletonsInstantiated() {
        Path db = embeddedDatabase;
        if (db == null) {
            return;
        }
        try (Connection opened = dataSource.getObject().getConnection()) {
            Class<?> type = Class.forName("org.h2.tools.Server");
            Object tcp = type.getMethod("createTcpServer", String[].class)
                    .invoke(null, (Object) new String[] {"-tcpPort", "0", "-tcpDaemon", "-ifExists"});
            type.getMethod("start").invoke(tcp);
            int port = (Integer) type.getMethod("getPort").invoke(tcp);
            server = tcp;
            Path serverFile = serverFile(db);
            Path partial = serverFile.resolveSibling(serverFile.getFileName() + ".partial");
            Files.writeString(partial, port + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            Files.move(partial, serverFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ownedServerFile = serverFile;
        } catch (Exception e) {
            log.warn("Other processes cannot read this H2 database while this one runs: {}", e.toString());
        }
    }

    @PreDestroy
    void stopServing() {
        Path file = ownedServerFile;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A stale file names a dead pid: the next process ignores it.
            }
        }
        Object tcp = server;
        if (tcp != null) {
            try {
                Method stop = tcp.getClass().getMethod("stop");
                stop.invoke(tcp);
            } catch (Exception e) {
                // daemon threads: they end with the process
            }
        }
    }

    /** The absolute path of an H2 file database (without .mv.db), or empty for any other URL. */
    static Optional<Path> filePath(String url) {
        String u = url.toUpperCase(Locale.ROOT);
        if (!u.startsWith("JDBC:H2:") || u.startsWith("JDBC:H2:MEM:") || u.startsWith("JDBC:H2:TCP:")
                || u.startsWith("JDBC:H2:SSL:") || u.contains(";AUTO_SERVER=TRUE")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        if (rest.regionMatches(true, 0, "file:", 0, 5)) {
            rest = rest.substring(5);
        }
        int semicolon = rest.indexOf(';');
        String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(Path.of(path).toAbsolutePath().normalize());
    }

    static Path serverFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".server");
    }

    /** The port of a live process (not this one) that serves the database, from its server file. */
    static Optional<Integer> servedBy(Path serverFile) {
        try {
            if (!Files.isRegularFile(serverFile)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(serverFile, StandardCharsets.US_ASCII).trim().split("\\s+");
            int port = Integer.parseInt(parts[0]);
            long pid = Long.parseLong(parts[1]);
            boolean alive = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(port) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
