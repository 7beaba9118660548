package io.bulkreg.lot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Where each column sits in a lot file, as given by its header row. */
public final class LotHeader {

    private final Map<LotColumn, Integer> positions;
    private final int size;

    private LotHeader(Map<LotColumn, Integer> positions, int size) {
        this.positions = positions;
        this.size = size;
    }

    /** @throws Invalid naming the first kind of problem found (unknown, duplicate, then missing columns) */
    public static LotHeader parse(List<String> cells) throws Invalid {
        Map<LotColumn, Integer> positions = new EnumMap<>(LotColumn.class);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            LotColumn column = LotColumn.forHeaderCell(cell).orElseThrow(
                    () -> new Invalid(NotALotFileException.Problem.UNKNOWN_COLUMN, "unknown column " + quoted(cell)));
            if (positions.putIfAbsent(column, i) != null) {
                throw new Invalid(NotALotFileException.Problem.DUPLICATE_COLUMN, "duplicate column " + quoted(cell));
            }
        }
        List<String> missing = new ArrayList<>();
        Arrays.stream(LotColumn.values())
                .filter(c -> c.required() && !positions.containsKey(c))
                .forEach(c -> missing.add(quoted(c.headerName())));
        if (!missing.isEmpty()) {
            String noun = missing.size() == 1 ? "missing column " : "missing columns ";
            throw new Invalid(NotALotFileException.Problem.MISSING_COLUMN, noun + String.join(", ", missing));
        }
        return new LotHeader(positions, cells.size());
    }

    /** Number of columns, which every line must match. */
    public int size() {
        return size;
    }

    public boolean has(LotColumn column) {
        return positions.containsKey(column);
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

        Invalid(NotALotFileException.Problem problem, String reason) {
            super(reason);
            this.problem = problem;
        }

        public NotALotFileException.Problem problem() {
            return problem;
        }
    }
}
