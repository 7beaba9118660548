package io.bulkreg.lot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw bytes of one CSV record plus where each field's content lies in them.
 * Keeping the raw bytes (quotes included) lets error offsets point at the bytes
 * as they are in the file; the capacity cap keeps a runaway record from using
 * unbounded memory.
 */
final class RecordBytes {

    private static final int INITIAL_CAPACITY = 1024;
    private static final int INITIAL_FIELDS = 16;
    private static final byte QUOTE = '"';

    private final int maxBytes;
    private byte[] bytes;
    private int length;

    private int[] fieldStarts = new int[INITIAL_FIELDS];
    private int[] fieldEnds = new int[INITIAL_FIELDS];
    private boolean[] fieldHasEscapedQuotes = new boolean[INITIAL_FIELDS];
    private int fieldCount;

    RecordBytes(int maxBytes) {
        this.maxBytes = maxBytes;
        this.bytes = new byte[Math.min(INITIAL_CAPACITY, maxBytes)];
    }

    void clear() {
        length = 0;
        fieldCount = 0;
    }

    int length() {
        return length;
    }

    byte[] bytes() {
        return bytes;
    }

    /** @return false, storing nothing, when the record would exceed its maximum size */
    boolean append(int b) {
        if (length == maxBytes) {
            return false;
        }
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, maxBytes));
        }
        bytes[length++] = (byte) b;
        return true;
    }

    /** Marks {@code [start, end)} of the raw bytes as one field's content. */
    void addField(int start, int end, boolean hasEscapedQuotes) {
        if (fieldCount == fieldStarts.length) {
            int grown = fieldCount * 2;
            fieldStarts = Arrays.copyOf(fieldStarts, grown);
            fieldEnds = Arrays.copyOf(fieldEnds, grown);
            fieldHasEscapedQuotes = Arrays.copyOf(fieldHasEscapedQuotes, grown);
        }
        fieldStarts[fieldCount] = start;
        fieldEnds[fieldCount] = end;
        fieldHasEscapedQuotes[fieldCount] = hasEscapedQuotes;
        fieldCount++;
    }

    /** Decodes the fields; call only after the bytes were checked to be valid UTF-8. */
    List<String> fields() {
        List<String> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            fields.add(decode(fieldStarts[i], fieldEnds[i], fieldHasEscapedQuotes[i]));
        }
        return fields;
    }

    private String decode(int start, int end, boolean hasEscapedQuotes) {
        if (!hasEscapedQuotes) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
        // "" inside a quoted field stands for one quote: keep every other quote byte.
        byte[] unescaped = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            unescaped[n++] = bytes[i];
            if (bytes[i] == QUOTE) {
                i++;
            }
        }
        return new String(unescaped, 0, n, StandardCharsets.UTF_8);
    }
}
