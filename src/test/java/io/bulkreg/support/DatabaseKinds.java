package io.bulkreg.support;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The databases a spec runs on: both by default; {@value #PROPERTY} (a comma-separated list of {@link TestDatabase.Kind}
 * names) narrows them, e.g. {@code -Dbulkreg.test.databases=POSTGRES} for CI's check that every PostgreSQL run is
 * skipped where no PostgreSQL is configured. A PostgreSQL run without one is skipped by {@link TestDatabase}.
 */
public final class DatabaseKinds implements ArgumentsProvider {

    public static final String PROPERTY = "bulkreg.test.databases";

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        return selected().map(Arguments::of);
    }

    static Stream<TestDatabase.Kind> selected() {
        String names = System.getProperty(PROPERTY, "");
        if (names.isBlank()) {
            return Arrays.stream(TestDatabase.Kind.values());
        }
        return Arrays.stream(names.split(",")).map(String::strip).filter(n -> !n.isEmpty()).map(TestDatabase.Kind::valueOf);
    }
}
