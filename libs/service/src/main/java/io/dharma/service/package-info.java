/**
 * The bootstrap that turns configuration into a running Dharma service with every feature installed.
 * <p>
 * Entry point: {@link io.dharma.service.DharmaService#builder(String)}. A service's {@code Main} names itself, registers
 * its API services and calls {@code start()}; the request pipeline (correlation id, access log and metrics, problem
 * errors, body limits), probes, metrics, the database and graceful shutdown come from configuration.
 */
@NullMarked
package io.dharma.service;

import org.jspecify.annotations.NullMarked;
