package io.bulkreg;

import java.util.List;
import org.springframework.core.env.Environment;

/**
 * The command a start-up is for, as Spring sees the arguments before picocli parses them: the first word that is not
 * an option (`--name=value`), or null when there is none (the default command, `register`).
 */
final class CommandWord {

    private CommandWord() {
    }

    static String of(Environment environment) {
        List<?> words = environment.getProperty("nonOptionArgs", List.class);
        return words == null || words.isEmpty() ? null : String.valueOf(words.get(0));
    }
}
