package io.bulkreg.lot;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The columns a lot file may have, in their canonical spelling. */
public enum LotColumn {
    LOT("lot", false),
    PROD_ID("prodId", true),
    NAME("name", true),
    IS_TEST("isTest", true),
    SERIAL("serial", false),
    DESCRIPTION("description", false);

    /** For messages: "lot, prodId, name, isTest, serial, description". */
    public static final String EXPECTED_COLUMNS = Arrays.stream(values())
            .map(LotColumn::headerName)
            .collect(Collectors.joining(", "));

    private static final Map<String, LotColumn> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(c -> key(c.headerName), Function.identity()));

    private final String headerName;
    private final boolean required;

    LotColumn(String headerName, boolean required) {
        this.headerName = headerName;
        this.required = required;
    }

    public String headerName() {
        return headerName;
    }

    public boolean required() {
        return required;
    }

    /**
     * Other names people and exports give the optional columns, compared as {@link #looseKey}: a file that carries
     * its serials as "SerialNumber" must not be read as a file without serials. "batch" is not among them: an MES's
     * batchNo is a production batch, not the lot.
     */
    private static final Map<LotColumn, List<String>> OTHER_NAMES = Map.of(
            SERIAL, List.of("sn", "sno", "snr", "sernr", "sernum", "sernumber", "seriennr", "seriennummer",
                    "numerodeserie", "nodeserie", "numserie", "serie", "serienummer", "numerodiserie"),
            LOT, List.of("lotid", "lotno", "lotnr", "lotnum", "lotnumber", "lotname", "lotcode", "los", "losnr",
                    "losnummer", "losid"),
            DESCRIPTION, List.of("desc", "descr", "beschreibung", "beschr"));

    /**
     * The optional column a header cell names under another name: its name inside the cell ("SerialNumber",
     * "product description") or one of a few usual other names ("S/N", "Seriennummer", "lot_id").
     */
    public static Optional<LotColumn> underAnotherName(String cell) {
        String key = looseKey(cell);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        for (LotColumn column : List.of(SERIAL, DESCRIPTION, LOT)) {
            String name = column.headerName.toLowerCase(Locale.ROOT);
            // "lot" inside a word ("pilot") is no lot column: only the longer names count when contained.
            boolean contains = column == LOT ? key.startsWith("lot") && key.length() <= 8 : key.contains(name)
                    || (column == SERIAL && key.startsWith("serien"));
            if (contains || OTHER_NAMES.get(column).contains(key)) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    /** Lower case, accents and everything but letters and digits removed: "Numéro de série" -> "numerodeserie". */
    static String looseKey(String cell) {
        String decomposed = Normalizer.normalize(cell.strip(), Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** Header cells match case-insensitively, ignoring surrounding whitespace. */
    public static Optional<LotColumn> forHeaderCell(String cell) {
        return Optional.ofNullable(BY_KEY.get(key(cell)));
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
