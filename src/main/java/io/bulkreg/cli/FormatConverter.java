package io.bulkreg.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --format} value, in any case, checked with the other options: an unknown one is a usage error (exit 2)
 * that lists the formats there are. One subclass per format enum (picocli creates converters by class).
 */
abstract class FormatConverter<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> formats;

    FormatConverter(Class<E> formats) {
        this.formats = formats;
    }

    @Override
    public E convert(String value) {
        try {
            return Enum.valueOf(formats, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a format: " + names());
        }
    }

    /** "csv or json", "table, csv or json". */
    private String names() {
        String[] all = Arrays.stream(formats.getEnumConstants()).map(f -> f.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        return all.length == 1 ? all[0] : Arrays.stream(all, 0, all.length - 1).collect(Collectors.joining(", "))
                + " or " + all[all.length - 1];
    }
}
