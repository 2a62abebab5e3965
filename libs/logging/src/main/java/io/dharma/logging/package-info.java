/**
 * Structured logging for Dharma services: correlation ids, JSON log lines and redaction of secrets.
 * <p>
 * Entry points:
 * <ul>
 *     <li>{@link io.dharma.logging.Logging#configure(io.helidon.config.Config, String, String)} - called once at startup
 *     with the {@code logging} config node (format, levels, redaction)</li>
 *     <li>{@link io.dharma.logging.Logging#correlationFilter()} - the first filter of every service</li>
 *     <li>{@link io.dharma.logging.CorrelationId} - the current request's correlation id</li>
 *     <li>{@link io.dharma.logging.CorrelationIdClientService} - propagates the id on outgoing WebClient calls</li>
 *     <li>{@link io.dharma.logging.Redactor} - masks secrets and personal data; applied to every log event</li>
 *     <li>{@link io.dharma.logging.AccessLog} - the access line of a request, written off the request thread</li>
 *     <li>{@link io.dharma.logging.LogField} - a named log argument that becomes its own JSON field</li>
 * </ul>
 * Logback is configured in code ({@link io.dharma.logging.LogbackConfigurator}, found through the service loader): one
 * JSON object per line on stdout (or a one-line text format for local work), every field redacted. A service's own
 * {@code logback.xml} replaces that set-up; {@link io.dharma.logging.RedactingMasker} (with logstash-logback-encoder),
 * {@link io.dharma.logging.RedactingPatternLayoutEncoder} and {@link io.dharma.logging.LogFormatFilter} plug Dharma's
 * redaction and format switch into such a file.
 */
@NullMarked
package io.dharma.logging;

import org.jspecify.annotations.NullMarked;
