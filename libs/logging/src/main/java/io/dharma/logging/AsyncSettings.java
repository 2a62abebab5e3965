package io.dharma.logging;

import java.util.List;
import java.util.Set;

import io.helidon.config.Config;

/**
 * The {@code logging.async} node: which loggers are written off the calling thread and how many lines may wait.
 *
 * @param enabled   whether those loggers are written by the writer thread (default {@code true})
 * @param queueSize lines that may wait before new ones are dropped (default {@value StdoutAppender#DEFAULT_QUEUE_SIZE})
 * @param loggers   names of the loggers written asynchronously (default {@code [access]})
 */
record AsyncSettings(boolean enabled, int queueSize, Set<String> loggers) {
    static AsyncSettings create(Config asyncNode) {
        int queueSize = asyncNode.get("queue-size").asInt().orElse(StdoutAppender.DEFAULT_QUEUE_SIZE);
        if (queueSize < 1) {
            throw new LoggingConfigException("logging.async.queue-size must be at least 1, got " + queueSize);
        }
        List<String> loggers = asyncNode.get("loggers").asList(String.class)
                .orElse(List.copyOf(StdoutAppender.DEFAULT_ASYNC_LOGGERS));
        return new AsyncSettings(asyncNode.get("enabled").asBoolean().orElse(true), queueSize, Set.copyOf(loggers));
    }

    void applyTo(StdoutAppender appender) {
        appender.queueSize(queueSize);
        appender.asyncLoggers(loggers);
        appender.async(enabled);
    }
}
