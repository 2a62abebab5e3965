package io.dharma.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per request on the logger {@value #LOGGER_NAME}, written off the request thread.
 * <p>
 * The calling thread only builds the event and puts it in a bounded queue; a writer thread encodes it (JSON or text,
 * redacted) and writes it to stdout. When the queue is full the line is dropped and counted (metric
 * {@code logging.dropped}, and a warning line once the writer catches up), so a request never waits for the log.
 * The JSON line carries the fields {@code method}, {@code route}, {@code status}, {@code duration_ms}, {@code bytes},
 * {@code client} and {@code userId} besides the usual ones ({@code correlationId} from the MDC); the message reads
 * {@code method=GET route=/api/v1/things/{id} status=200 duration_ms=3ms}. Turn it off with the level of the
 * logger: {@code logging.level.access: WARN}.
 */
public final class AccessLog {
    /**
     * Name of the access logger.
     */
    public static final String LOGGER_NAME = "access";
    private static final String MESSAGE = "{} {} {} {}ms";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Logger logger;

    private AccessLog(Logger logger) {
        this.logger = logger;
    }

    /**
     * The access log, writing to the logger {@value #LOGGER_NAME}.
     *
     * @return access log
     */
    public static AccessLog create() {
        return new AccessLog(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /**
     * Logs one request. Cheap on the calling thread: no formatting, encoding or I/O happens here.
     *
     * @param method        HTTP method, e.g. {@code GET}
     * @param route         route template, never the raw path, e.g. {@code /api/v1/things/{id}}
     * @param status        response status code
     * @param durationNanos time spent on the request, in nanoseconds (written in milliseconds as {@code duration_ms})
     * @param bytes         response bytes written
     * @param client        client address
     * @param user          authenticated subject, or {@code -}
     */
    public void log(String method, String route, int status, long durationNanos, long bytes, String client, String user) {
        if (logger.isInfoEnabled()) {
            logger.info(MESSAGE, LogField.kv("method", method), LogField.kv("route", route), LogField.kv("status", status),
                        LogField.kv("duration_ms", durationNanos / NANOS_PER_MILLI), LogField.kv("bytes", bytes),
                        LogField.kv("client", client), LogField.kv("userId", user));
        }
    }
}
