package io.bulkreg.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs every test of a spec once per database ({@link DatabaseKinds}): the invocations are named {@code [H2]} and
 * {@code [POSTGRES]}, and the spec reads its database from {@link DatabaseSpec#database()}. One class per behaviour,
 * not a pair of subclasses per database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "[{0}]")
@ArgumentsSource(DatabaseKinds.class)
public @interface OnEveryDatabase {
}
