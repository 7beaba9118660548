package io.bulkreg.lot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The lot files waiting in a folder: its *.csv files, by name. Listed when a run starts, not when it is asked for.
 * Names with a leading dot are left alone (temporary and hidden files; `*.csv.part` does not end in .csv), and so
 * are Excel's lock files ({@code ~$LOT-1.csv}, written while a person has the file open).
 */
public final class LotInbox {

    /** {@code X.csv.ready} announces that {@code X.csv} is complete: it is taken without waiting to settle. */
    public static final String MARKER_SUFFIX = ".ready";
    /** The demo's inbox: the sample lots of the checkout, whose markers are part of it and stay. */
    public static final Path DEMO = Path.of("jobs", "samples");
    private static final String EXCEL_LOCK_PREFIX = "~$";
    /** How long apart the two looks at a file taken by its settle time are. */
    private static final Duration SECOND_LOOK_AFTER = Duration.ofSeconds(1);

    /** What stands between the two looks at the inbox: a short wait, in tests whatever else happens meanwhile. */
    @FunctionalInterface
    public interface Pause {
        Pause NONE = () -> { };

        void between();
    }

    /** Size and modification time of a file: what two looks must agree on for the file to be complete. */
    record Look(long size, Instant modified) {
        static Look of(Path file) {
            try {
                return new Look(Files.size(file), Files.getLastModifiedTime(file).toInstant());
            } catch (IOException e) {
                return new Look(-1, Instant.EPOCH);   // gone or unreadable: never equal to a look that worked
            }
        }
    }

    /** Files complete enough to import, as they were when listed, and what is said about the others. */
    public record Listing(List<Path> complete, List<String> waiting, Map<Path, Look> looks) {

        public Listing {
            complete = List.copyOf(complete);
            waiting = List.copyOf(waiting);
            looks = Map.copyOf(looks);
        }

        /**
         * Looks at a listed file again, right before it is imported or archived: a file rewritten or still growing
         * since it was listed is not taken in this run.
         *
         * @return why the file is not taken yet, or empty when it is as listed
         */
        public Optional<String> changedSinceListed(Path file) {
            Look then = looks.get(file);
            if (then == null || then.equals(Look.of(file))) {
                return Optional.empty();
            }
            return Optional.of(notTakenYet(file, "changed after the inbox was listed; the next run takes it"));
        }
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
                    .filter(p -> !p.getFileName().toString().startsWith(EXCEL_LOCK_PREFIX))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lot inbox " + folder, e);
        }
    }

    /** The complete files of {@code folder} now, as {@code lots} says (register and rehearse alike). */
    public static Listing take(Path folder, LotProperties lots) {
        return completeFiles(folder, lots.settleTime(), Instant.now());
    }

    /** {@link #completeFiles(Path, Duration, Instant, Pause)} with a short wait between the two looks. */
    public static Listing completeFiles(Path folder, Duration settleTime, Instant now) {
        return completeFiles(folder, settleTime, now, LotInbox::waitForSecondLook);
    }

    /**
     * The *.csv files that are complete: announced by a marker written after the file, or unchanged for
     * {@code settleTime}, the same size and time at a second look and ending with a line end. A file still being
     * copied in would otherwise be imported cut short, a cut-off serial and all; a copy tool that keeps the
     * source's modification time (rsync -t, cp -p) makes the time alone look settled.
     */
    public static Listing completeFiles(Path folder, Duration settleTime, Instant now, Pause pause) {
        Map<Path, Look> looks = new LinkedHashMap<>();
        List<String> waiting = new ArrayList<>();
        List<Path> bySettleTime = new ArrayList<>();
        for (Path file : csvFiles(folder)) {
            Look look = Look.of(file);
            Path marker = marker(file);
            Look markerLook = Files.exists(marker) ? Look.of(marker) : null;
            if (settleTime.isZero()) {
                looks.put(file, look);
            } else if (markerLook != null && !markerLook.modified().isBefore(look.modified())) {
                looks.put(file, look);
            } else {
                Duration age = Duration.between(look.modified(), now);
                if (age.compareTo(settleTime) < 0) {
                    waiting.add(notTakenYet(file, "changed " + Math.max(0, age.toSeconds()) + " s ago"
                            + (markerLook != null ? " and its marker " + marker.getFileName() + " is older than the "
                            + "file (left from an earlier version)" : "") + " (taken once unchanged for "
                            + "bulkreg.lots.settle-time " + settleTime.toSeconds() + " s, or at once when "
                            + marker.getFileName() + " is written after it)"));
                } else if (!endsWithLineEnd(file)) {
                    waiting.add(notTakenYet(file, "does not end with a line end, so it may still be being written "
                            + "(end its last line, or announce it with " + marker.getFileName() + ")"));
                } else {
                    looks.put(file, look);
                    bySettleTime.add(file);
                }
            }
        }
        if (!bySettleTime.isEmpty()) {
            pause.between();
            for (Path file : bySettleTime) {
                if (!looks.get(file).equals(Look.of(file))) {
                    looks.remove(file);
                    waiting.add(notTakenYet(file, "changed while the inbox was looked at, so it is still being "
                            + "written (even though its modification time is old)"));
                }
            }
        }
        return new Listing(List.copyOf(looks.keySet()), waiting, looks);
    }

    private static String notTakenYet(Path file, String why) {
        return file + ": not taken yet, " + why;
    }

    private static void waitForSecondLook() {
        try {
            Thread.sleep(SECOND_LOOK_AFTER.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line end as last character, in UTF-8 or in UTF-16 (LF or CR followed or preceded by a NUL). */
    static boolean endsWithLineEnd(Path file) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;   // nothing that could be cut: refused as empty
            }
            ByteBuffer last = ByteBuffer.allocate((int) Math.min(2, size));
            channel.position(size - last.capacity());
            while (last.hasRemaining() && channel.read(last) >= 0) {
                // read the last one or two bytes
            }
            byte[] b = last.array();
            byte end = b[b.length - 1];
            if (end == '\n' || end == '\r') {
                return true;
            }
            return b.length == 2 && end == 0 && (b[0] == '\n' || b[0] == '\r');
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the marker of a file whose import committed: a later rewrite of the file must announce itself anew
     * (a copy that keeps an old modification time would otherwise pass for complete). The demo's sample markers
     * belong to the checkout and stay.
     */
    public static void markerDone(Path file) throws IOException {
        Path folder = file.toAbsolutePath().normalize().getParent();
        if (!DEMO.toAbsolutePath().normalize().equals(folder)) {
            Files.deleteIfExists(marker(file));
        }
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
        } catch (AtomicMoveNotSupportedException e) {
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
}
