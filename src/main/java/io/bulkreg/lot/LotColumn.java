package io.bulkreg.lot;

import java.util.Arrays;
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

    /** Header cells match case-insensitively, ignoring surrounding whitespace. */
    public static Optional<LotColumn> forHeaderCell(String cell) {
        return Optional.ofNullable(BY_KEY.get(key(cell)));
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
