package io.bulkreg.lot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The lot files waiting in a folder: its *.csv files, by name. Listed when a run starts, not when it is asked for.
 * Names with a leading dot are left alone (temporary and hidden files; `*.csv.part` does not end in .csv).
 */
public final class LotInbox {

    /** {@code X.csv.ready} announces that {@code X.csv} is complete: it is taken without waiting to settle. */
    public static final String MARKER_SUFFIX = ".ready";

    /** Files complete enough to import, and what is said about the others. */
    public record Listing(List<Path> complete, List<String> waiting) {
        public java.util.Optional<String> changedSinceListed(Path file) {
            return java.util.Optional.empty();
        }
    }

    public interface Pause {
        Pause NONE = () -> { };

        void between();
    }

    public static Listing completeFiles(Path folder, Duration settleTime, Instant now, Pause pause) {
        return completeFiles(folder, settleTime, now);
    }

    private LotInbox() {
    }

    public static List<Path> csvFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lot inbox " + folder, e);
        }
    }

    /**
     * The *.csv files that are complete: announced by a marker, or unchanged for {@code settleTime}. A file still
     * being copied in would otherwise be imported cut short, a cut-off serial and all.
     */
    public static Listing completeFiles(Path folder, Duration settleTime, Instant now) {
        List<Path> complete = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Path file : csvFiles(folder)) {
            if (Files.exists(marker(file)) || settleTime.isZero()) {
                complete.add(file);
                continue;
            }
            Instant modified = lastModified(file);
            Duration age = Duration.between(modified, now);
            if (age.compareTo(settleTime) >= 0) {
                complete.add(file);
            } else {
                waiting.add(file + ": not taken yet, changed " + Math.max(0, age.toSeconds()) + " s ago (taken once "
                        + "unchanged for bulkreg.lots.settle-time " + settleTime.toSeconds() + " s, or at once when "
                        + marker(file).getFileName() + " exists)");
            }
        }
        return new Listing(complete, waiting);
    }

    /**
     * Moves an imported file (and its marker) into {@code archive}, so that the inbox holds only what is new.
     * A name already taken there gets the time of the move added.
     *
     * @return where the file went
     */
    public static Path archive(Path file, Path archive, Instant now) throws IOException {
        Files.createDirectories(archive);
        Path target = archive.resolve(file.getFileName());
        if (Files.exists(target)) {
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC).format(now);
            target = archive.resolve(file.getFileName() + "." + stamp);
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(file, target);   // an archive on another file system
        }
        Path marker = marker(file);
        if (Files.exists(marker)) {
            Files.move(marker, archive.resolve(target.getFileName() + MARKER_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static Path marker(Path file) {
        return file.resolveSibling(file.getFileName() + MARKER_SUFFIX);
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + file, e);
        }
    }
}
