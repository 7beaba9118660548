package io.bulkreg.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a lot file in code: {@code LotCsv.lot("L1").devices("prod", 20).write(dir)}. */
public final class LotCsv {

    public static final String HEADER = "lot,prodId,name,isTest,serial,description";

    private final String lot;
    private final List<String> lines = new ArrayList<>();

    private LotCsv(String lot) {
        this.lot = lot;
    }

    public static LotCsv lot(String lot) {
        return new LotCsv(lot);
    }

    /** {@code count} valid non-test devices with serials {@code <lot><n>} (letters and digits only). */
    public LotCsv devices(String prodId, int count) {
        String prefix = lot.replaceAll("[^A-Za-z0-9]", "");
        for (int i = 1; i <= count; i++) {
            device(prodId, "Device " + i, "false", prefix + "S" + String.format("%04d", lines.size() + 1), "unit " + i);
        }
        return this;
    }

    public LotCsv device(String prodId, String name, String isTest, String serial, String description) {
        return line(String.join(",", quote(lot), quote(prodId), quote(name), quote(isTest), quote(serial), quote(description)));
    }

    /** A raw line, written as is (for malformed input). */
    public LotCsv line(String raw) {
        lines.add(raw);
        return this;
    }

    public String content() {
        return HEADER + "\n" + String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }

    public Path write(Path dir) {
        Path file = dir.resolve(lot + ".csv");
        try {
            Files.writeString(file, content(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** RFC 4180 quoting, always: names and descriptions may hold anything. */
    public static String quote(String value) {
        return value == null ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
    }

    /** Sets a file's modification time, as a file copied in at {@code when} would have it. */
    public static void setModified(Path file, Instant when) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
