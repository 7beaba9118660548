package io.bulkreg.lot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where each column sits in a lot file, as given by its header row, and which columns it leaves out. */
public final class LotHeader {

    /** A cell this close to an absent lot file column is a misspelling of it, not a column of its own. */
    private static final int MISSPELLING_DISTANCE = 2;
    private static final int MISSPELLING_MIN_LENGTH = 3;

    private final Map<LotColumn, Integer> positions;
    private final int size;
    private final List<String> ignored;

    private LotHeader(Map<LotColumn, Integer> positions, int size, List<String> ignored) {
        this.positions = positions;
        this.size = size;
        this.ignored = List.copyOf(ignored);
    }

    /** Unknown columns refused, as before columns could be ignored. */
    public static LotHeader parse(List<String> cells) throws Invalid {
        return parse(cells, UnknownColumns.REFUSE);
    }

    /**
     * @throws Invalid naming the first kind of problem found: a duplicate column, a misspelt lot file column
     *                 (refused whatever the setting: ignoring 'serail' would import devices without their serial,
     *                 and a corrected file would then register them a second time), an unknown column when they
     *                 are refused, missing required columns, then an optional lot file column under another name
     *                 ('SerialNumber', 'lot_id': refused whatever the setting, for the same reason)
     */
    public static LotHeader parse(List<String> cells, UnknownColumns unknownColumns) throws Invalid {
        Map<LotColumn, Integer> positions = new EnumMap<>(LotColumn.class);
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            Optional<LotColumn> column = LotColumn.forHeaderCell(cell);
            if (column.isEmpty()) {
                unknown.add(cell.isBlank() ? "column " + (i + 1) + " (no name)" : cell.strip());
            } else if (positions.putIfAbsent(column.get(), i) != null) {
                throw new Invalid(NotALotFileException.Problem.DUPLICATE_COLUMN, "duplicate column " + quoted(cell), cells);
            }
        }
        for (String cell : unknown) {
            Optional<LotColumn> meant = misspelt(cell, positions);
            if (meant.isPresent()) {
                throw new Invalid(NotALotFileException.Problem.UNKNOWN_COLUMN, "unknown column " + quoted(cell)
                        + " (did you mean '" + meant.get().headerName() + "'?)", cells);
            }
        }
        if (!unknown.isEmpty() && unknownColumns == UnknownColumns.REFUSE) {
            throw new Invalid(NotALotFileException.Problem.UNKNOWN_COLUMN, (unknown.size() == 1 ? "unknown column "
                    : "unknown columns ") + unknown.stream().map(LotHeader::quoted).collect(Collectors.joining(", "))
                    + " (bulkreg.lots.unknown-columns=refuse)", cells);
        }
        List<String> missing = new ArrayList<>();
        Arrays.stream(LotColumn.values())
                .filter(c -> c.required() && !positions.containsKey(c))
                .forEach(c -> missing.add(quoted(c.headerName())));
        if (!missing.isEmpty()) {
            String noun = missing.size() == 1 ? "missing column " : "missing columns ";
            throw new Invalid(NotALotFileException.Problem.MISSING_COLUMN, noun + String.join(", ", missing), cells);
        }
        for (String cell : unknown) {
            Optional<LotColumn> meant = LotColumn.underAnotherName(cell).filter(c -> !positions.containsKey(c));
            if (meant.isPresent()) {
                // Ignoring it would import the devices without it: a serial lost is a device registered twice later.
                throw new Invalid(NotALotFileException.Problem.UNKNOWN_COLUMN, "column " + quoted(cell) + " looks like "
                        + "the lot file column '" + meant.get().headerName() + "' under another name (did you mean '"
                        + meant.get().headerName() + "'?): rename it to '" + meant.get().headerName() + "'", cells);
            }
        }
        return new LotHeader(positions, cells.size(), unknown);
    }

    /** How many lot file columns a header line names: how the separator is recognised. */
    static long lotColumnsIn(List<String> cells) {
        return cells.stream().map(LotColumn::forHeaderCell).flatMap(Optional::stream).distinct().count();
    }

    private static Optional<LotColumn> misspelt(String cell, Map<LotColumn, Integer> present) {
        String key = cell.strip().toLowerCase(Locale.ROOT);
        if (key.length() < MISSPELLING_MIN_LENGTH) {
            return Optional.empty();
        }
        return Arrays.stream(LotColumn.values()).filter(c -> !present.containsKey(c))
                .filter(c -> distance(key, c.headerName().toLowerCase(Locale.ROOT)) <= MISSPELLING_DISTANCE)
                .findFirst();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Number of columns, which every line must match. */
    public int size() {
        return size;
    }

    public boolean has(LotColumn column) {
        return positions.containsKey(column);
    }

    /** The header cells of columns bulkreg does not use, in file order. */
    public List<String> ignored() {
        return ignored;
    }

    /** @return the column's cell of a record, or null when the file has no such column */
    String cell(LotColumn column, List<String> fields) {
        Integer position = positions.get(column);
        return position == null ? null : fields.get(position);
    }

    @Override
    public String toString() {
        return positions.entrySet().stream()
                .map(e -> e.getKey().headerName() + "@" + e.getValue())
                .collect(Collectors.joining(", ", "LotHeader[", "]"));
    }

    private static String quoted(String name) {
        return "'" + name.strip() + "'";
    }

    /** A header row that is not a lot file header. */
    public static final class Invalid extends Exception {
        private final NotALotFileException.Problem problem;
        private final String found;

        Invalid(NotALotFileException.Problem problem, String reason, List<String> cells) {
            super(reason);
            this.problem = problem;
            this.found = cells.stream().map(String::strip).collect(Collectors.joining(", "));
        }

        public NotALotFileException.Problem problem() {
            return problem;
        }

        /** The header as read, for the message: "lot, prodId, name, serial". */
        public String found() {
            return found;
        }
    }
}
