package io.bulkreg.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * `--help` and `--version` of every command, answered before Spring starts: no context, no database, no file
 * written, in well under a second. The commands are built without their collaborators, which help never uses.
 */
public final class HelpWithoutSpring {

    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version", "help");

    private HelpWithoutSpring() {
    }

    /** The exit code, if these arguments only ask for help or the version. */
    public static Optional<Integer> answer(String[] args, PrintWriter out, PrintWriter err) {
        List<String> commandArgs = Arrays.stream(args)
                .filter(a -> !(a.startsWith("--spring.") || a.startsWith("--bulkreg.") || a.startsWith("--logging.")))
                .toList();
        if (commandArgs.stream().noneMatch(HELP::contains)) {
            return Optional.empty();
        }
        CommandLine cli = new CommandLine(new BulkregCommand(), new WithoutCollaborators());
        cli.setOut(out);
        cli.setErr(err);
        if (commandArgs.get(0).equals("help")) {
            // `bulkreg help [COMMAND]`
            CommandLine target = commandArgs.size() > 1 ? cli.getSubcommands().get(commandArgs.get(1)) : cli;
            if (target == null) {
                err.println("bulkreg: no command " + commandArgs.get(1) + "; the commands:");
                cli.usage(err);
                err.flush();
                return Optional.of(ExitCodes.USAGE);
            }
            target.usage(out);
            out.flush();
            return Optional.of(ExitCodes.OK);
        }
        int code = cli.execute(commandArgs.toArray(String[]::new));
        out.flush();
        err.flush();
        return Optional.of(code);
    }

    /** Builds a command with nulls for its collaborators: enough for picocli to read its options. */
    static final class WithoutCollaborators implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return CommandLine.defaultFactory().create(type);
            } catch (Exception noDefaultConstructor) {
                Constructor<?> constructor = type.getDeclaredConstructors()[0];
                constructor.setAccessible(true);
                Object[] nothing = Arrays.stream(constructor.getParameterTypes())
                        .map(HelpWithoutSpring::nothingOf)
                        .toArray();
                return type.cast(constructor.newInstance(nothing));
            }
        }
    }

    private static Object nothingOf(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        return type == boolean.class ? false : type == char.class ? '\0' : type == long.class ? 0L
                : type == double.class ? 0.0 : type == float.class ? 0f : type == byte.class ? (byte) 0
                : type == short.class ? (short) 0 : 0;
    }
}
