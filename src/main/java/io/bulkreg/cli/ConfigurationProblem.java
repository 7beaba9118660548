package io.bulkreg.cli;

/**
 * A setting or an option that keeps a command from running, and what to do about it: printed as it is, exit code
 * {@link ExitCodes#USAGE}, since running again unchanged cannot help.
 */
public class ConfigurationProblem extends RuntimeException {

    public ConfigurationProblem(String message) {
        super(message);
    }
}
