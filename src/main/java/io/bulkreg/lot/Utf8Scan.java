package io.bulkreg.lot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a file without a byte order mark holds, counted over all of it: valid multi-byte UTF-8 sequences and bytes that
 * are not part of one. A file with as many of the first or more is UTF-8 (whatever charset is configured for legacy files), its
 * few bad bytes damage; text in a legacy charset such as Windows-1252 forms a valid sequence only by accident (Ã©).
 *
 * @param multiByte valid UTF-8 sequences of two to four bytes
 * @param invalid   bytes that are not part of a valid UTF-8 sequence
 */
record Utf8Scan(long multiByte, long invalid) {

    private static final int CHUNK = 64 * 1024;

    /**
     * UTF-8 with characters beyond ASCII: a file to read as UTF-8 even when a legacy charset is set. A damaged byte or
     * two (a field cut mid-character) do not make it Windows-1252: read as that, every umlaut of the file would be
     * garbled, and devices without serial imported again under names they never had.
     */
    boolean isUtf8BeyondAscii() {
        return multiByte > 0 && multiByte >= invalid;
    }

    static Utf8Scan of(Path file) throws IOException {
        long multiByte = 0;
        long invalid = 0;
        byte[] buffer = new byte[CHUNK + 3];
        int carried = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(buffer, carried, CHUNK);
                int length = carried + n;
                boolean last = n < CHUNK;
                int i = 0;
                while (i < length) {
                    int b = buffer[i] & 0xFF;
                    if (b < 0x80) {
                        i++;
                        continue;
                    }
                    int need = sequenceLength(b);
                    if (need == 0) {
                        invalid++;
                        i++;
                        continue;
                    }
                    if (i + need > length && !last) {
                        break;   // the sequence goes on in the next chunk
                    }
                    if (i + need <= length && validSequence(buffer, i, b, need)) {
                        multiByte++;
                        i += need;
                    } else {
                        invalid++;
                        i++;
                    }
                }
                if (last) {
                    return new Utf8Scan(multiByte, invalid);
                }
                carried = length - i;
                System.arraycopy(buffer, i, buffer, 0, carried);
            }
        }
    }

    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Continuation bytes, without overlong forms, surrogates or code points beyond U+10FFFF. */
    private static boolean validSequence(byte[] bytes, int at, int lead, int need) {
        int second = bytes[at + 1] & 0xFF;
        int low = 0x80;
        int high = 0xBF;
        if (lead == 0xE0) {
            low = 0xA0;
        } else if (lead == 0xED) {
            high = 0x9F;
        } else if (lead == 0xF0) {
            low = 0x90;
        } else if (lead == 0xF4) {
            high = 0x8F;
        }
        if (second < low || second > high) {
            return false;
        }
        for (int k = 2; k < need; k++) {
            int c = bytes[at + k] & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return false;
            }
        }
        return true;
    }
}
