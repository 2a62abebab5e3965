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
 * </ul>
 * The jar ships {@code logback.xml}: one JSON object per line on stdout (or a one-line text format for local work),
 * redacted by {@link io.dharma.logging.RedactingMasker} and {@link io.dharma.logging.RedactingPatternLayoutEncoder}.
 */
@NullMarked
package io.dharma.logging;

import org.jspecify.annotations.NullMarked;
