package io.licensebatch.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

import java.util.Optional;

/**
 * Spring Boot's report of a start that failed ("APPLICATION FAILED TO START", with its description and the
 * action it suggests), except for a bad setting: the command line names that one in a line of its own (the
 * setting, where it came from, what it may be; exit 2), and Boot's 20 lines would only repeat it. Registered in
 * {@code META-INF/spring.factories}; Boot's own reporter is switched off in {@code application.properties}.
 */
public class StartFailureReport implements FailureAnalysisReporter {

    private static final Logger log = LoggerFactory.getLogger(StartFailureReport.class);

    @Override
    public void report(FailureAnalysis analysis) {
        if (badSetting(analysis.getCause()).isPresent()) {
            return;
        }
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder(nl).append(nl)
                .append("***************************").append(nl)
                .append("APPLICATION FAILED TO START").append(nl)
                .append("***************************").append(nl).append(nl)
                .append("Description:").append(nl).append(nl).append(analysis.getDescription()).append(nl);
        if (analysis.getAction() != null && !analysis.getAction().isBlank()) {
            text.append(nl).append("Action:").append(nl).append(nl).append(analysis.getAction()).append(nl);
        }
        log.error(Secrets.mask(text.toString()));
    }

    /** The binding failure of a setting behind a failed start, if that is what it was. */
    public static Optional<BindException> badSetting(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(bind);
            }
        }
        return Optional.empty();
    }
}
