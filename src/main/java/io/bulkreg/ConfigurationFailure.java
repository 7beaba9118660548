package io.bulkreg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A bulkreg setting that does not bind or validate, said as an operator needs it: one plain paragraph naming the
 * environment variable to set, instead of Spring Boot's failure report (which names internal properties such as
 * bulkreg.mcs.tokenPresent). Spring's LoggingFailureAnalysisReporter is off (application.yml); {@link PlainReporter}
 * prints every analysis, this one's and Spring's own, as a paragraph on standard error.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConfigurationFailure implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindValidationException invalid) {
                List<String> problems = new ArrayList<>();
                for (ObjectError error : invalid.getValidationErrors().getAllErrors()) {
                    problems.add(sentence(invalid.getValidationErrors().getName().toString(), error));
                }
                return analysis(String.join("; ", problems));
            }
            if (t instanceof BindException unbound && unbound.getProperty() != null) {
                String name = unbound.getProperty().getName().toString();
                return analysis("the setting " + name + " (environment variable " + variable(name) + ") has the value '"
                        + unbound.getProperty().getValue() + "', which is not valid here"
                        + (unbound.getCause() != null && unbound.getCause().getMessage() != null
                                ? " (" + rootMessage(unbound) + ")" : ""));
            }
        }
        return null;
    }

    private static String sentence(String prefix, ObjectError error) {
        // An @AssertTrue rule (isTokenPresent) is a FieldError on a boolean that names no setting: its message does.
        if (error instanceof FieldError field && !(field.getRejectedValue() instanceof Boolean)) {
            String property = prefix + "." + kebab(field.getField());
            return "the setting " + property + " (environment variable " + variable(property) + ") "
                    + error.getDefaultMessage() + ", found '" + field.getRejectedValue() + "'";
        }
        // A rule over several settings: its message names them and the variables to set.
        return error.getDefaultMessage();
    }

    private static FailureAnalysis analysis(String problems) {
        return new FailureAnalysis("bulkreg: the configuration is not valid, so nothing was imported or sent: " + problems
                + ".", "Correct it and run again (exit code 2: a rerun with the same settings will not help).", null);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Spring Boot's relaxed binding: bulkreg.mcs.base-url is BULKREG_MCS_BASEURL. */
    static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "").replace("[", "_").replace("]", "");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Every failure analysis as one paragraph on standard error: description, then what to do. */
    public static class PlainReporter implements FailureAnalysisReporter {
        @Override
        public void report(FailureAnalysis analysis) {
            String description = analysis.getDescription().strip();
            String text = (description.startsWith("bulkreg:") ? "" : "bulkreg: could not start: ") + description
                    + (analysis.getAction() == null ? "" : " " + analysis.getAction().strip());
            System.err.println(text.replaceAll("\\s*\\R\\s*", " "));
            System.err.flush();
        }
    }
}
