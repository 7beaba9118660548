package io.bulkreg.lot;

import java.text.Normalizer;

/**
 * Text of a lot file line as bulkreg compares it (and stores the lot and product ids): without surrounding
 * whitespace and in Unicode normal form C. "Bench" and "Bench " are one device without serial, and so are "Prüfstand" typed on a Mac
 * (u + combining diaeresis, NFD) and on Windows (ü, NFC). An empty optional cell means "not given" (null).
 */
final class LotText {

    private LotText() {
    }

    static String normalized(String text) {
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        return Normalizer.isNormalized(stripped, Normalizer.Form.NFC) ? stripped
                : Normalizer.normalize(stripped, Normalizer.Form.NFC);
    }

    /** {@link #normalized}, and null for nothing. */
    static String optional(String text) {
        String n = normalized(text);
        return n == null || n.isEmpty() ? null : n;
    }
}
