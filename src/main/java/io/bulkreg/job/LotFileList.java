package io.bulkreg.job;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lot files named for one run, as the {@link JobParameterNames#FILES} parameter holds them: absolute paths, one
 * per line. Encoded and decoded here only.
 */
final class LotFileList {

    private static final String SEPARATOR = "\n";

    private LotFileList() {
    }

    /** @throws IllegalArgumentException when the list does not fit a job parameter */
    static String encode(List<Path> files) {
        String encoded = files.stream().map(p -> p.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(SEPARATOR));
        if (encoded.length() > JobParameterNames.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("too many lot files named for one run (" + files.size() + "): put them "
                    + "in a folder and set bulkreg.lots.inbox to it");
        }
        return encoded;
    }

    static List<Path> decode(String encoded) {
        if (encoded == null) {
            return List.of();
        }
        return Arrays.stream(encoded.split(SEPARATOR)).filter(f -> !f.isBlank()).map(Path::of).toList();
    }
}
