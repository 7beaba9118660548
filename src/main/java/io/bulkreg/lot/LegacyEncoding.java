package io.bulkreg.lot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Says what a record that is not UTF-8 probably is. Excel's plain "CSV" and most Windows tools write
 * Windows-1252 (a superset of ISO-8859-1's printable characters); reading its umlauts as UTF-8 fails, and the
 * operator needs to be told that the file, not the line, is the problem and how to fix it. A hand-written
 * check is enough for this one case: a charset detection library would guess among dozens we never see.
 */
final class LegacyEncoding {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int MAX_SHOWN = 40;

    /** What a record that is not UTF-8 says about the file, given what the rest of the file is. */
    enum Hint {
        /** No UTF-8 beyond ASCII anywhere in the file: it looks like Windows-1252, say how to re-save or read it. */
        WINDOWS_1252,
        /** The file starts with a UTF-8 byte order mark: it claims UTF-8, so only re-saving helps. */
        RESAVE,
        /** The rest of the file is valid UTF-8: a configured legacy charset would garble it; the line is damaged. */
        DAMAGED_LINE,
        NONE
    }

    static final String RESAVE = "; the file starts with a UTF-8 byte order mark but this line is not UTF-8: re-save it "
            + "as UTF-8 (Excel: \"CSV UTF-8\")";
    static final String DAMAGED_LINE = "; the rest of the file is UTF-8: the line is damaged, correct it";

    private LegacyEncoding() {
    }

    static String hint(Hint hint, byte[] bytes, int length, int invalidOffset, int separator) {
        return switch (hint) {
            case WINDOWS_1252 -> hint(bytes, length, invalidOffset, separator);
            case RESAVE -> RESAVE;
            case DAMAGED_LINE -> DAMAGED_LINE;
            case NONE -> "";
        };
    }

    /**
     * @return "" when the record is no valid Windows-1252 either (then it is damaged, not re-encoded); else a
     * sentence, starting with "; ", that shows the field as Windows-1252 and how to re-save the file
     */
    static String hint(byte[] bytes, int length, int invalidOffset, int separator) {
        int start = invalidOffset;
        while (start > 0 && !isBoundary(bytes[start - 1], separator)) {
            start--;
        }
        int end = invalidOffset;
        while (end < length && !isBoundary(bytes[end], separator)) {
            end++;
        }
        String field;
        try {
            field = WINDOWS_1252.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            return "";
        }
        if (field.codePointCount(0, field.length()) > MAX_SHOWN) {
            field = field.substring(0, field.offsetByCodePoints(0, MAX_SHOWN)) + "…";
        }
        return "; the file looks like Windows-1252 (it would read '" + field + "'): re-save it as UTF-8 (Excel: "
                + "\"CSV UTF-8\"), or set bulkreg.lots.charset=windows-1252 for this inbox (the next run then imports the file again and "
                + "takes these lines)";
    }

    private static boolean isBoundary(byte b, int separator) {
        return b == separator || b == '"' || b == '\r' || b == '\n';
    }
}
