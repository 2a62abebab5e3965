package io.dharma.openapi;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.helidon.common.uri.UriPath;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

/**
 * Nanoseconds of CPU per request validation of blueprint-service's document, in a hot loop on one thread (thread CPU
 * time, so other load on the machine does not count; wall-clock time is printed too): operation lookup
 * (method and path) plus the compiled checks. Cases: GET by id (one UUID path parameter), GET list (two query
 * parameters), POST create (the body of bench/openapi/http.sh). Args: seconds per case per round (default 3), rounds
 * (default 5). Run by bench/openapi/validation.sh.
 */
public final class ValidationBench {
    private ValidationBench() {
    }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Contract contract = Contract.create(Documents.bundle(ValidationBench.class.getClassLoader(), OpenApi.DOCUMENT)
                                                    .orElseThrow(), OpenApi.DOCUMENT);
        byte[] body = ("{\"name\":\"openapi-bench\",\"description\":\"validated create\",\"targetCloud\":\"aws\","
                + "\"status\":\"active\",\"resources\":[{\"type\":\"vm\",\"size\":\"small\",\"count\":2,"
                + "\"region\":\"eu-west-1\"},{\"type\":\"database\",\"size\":\"medium\",\"count\":1,"
                + "\"region\":\"eu-west-1\"}]}").getBytes(StandardCharsets.UTF_8);
        WritableHeaders<?> json = WritableHeaders.create().set(HeaderNames.CONTENT_TYPE, "application/json");
        WritableHeaders<?> none = WritableHeaders.create();
        UriPath byId = UriPath.create("/api/v1/blueprints/" + UUID.randomUUID());
        UriPath list = UriPath.create("/api/v1/blueprints");
        UriQuery noQuery = UriQuery.empty();
        UriQuery listQuery = UriQuery.create("limit=20&status=active");
        String[] names = {"GET by id", "GET list ?limit&status", "POST create (body)"};
        Runnable[] cases = {
            () -> check(contract, Method.GET, byId, noQuery, none, new byte[0]),
            () -> check(contract, Method.GET, list, listQuery, none, new byte[0]),
            () -> check(contract, Method.POST, list, noQuery, json, body)
        };
        List<List<Double>> results = new ArrayList<>();
        for (int c = 0; c < cases.length; c++) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round <= rounds; round++) {
            for (int c = 0; c < cases.length; c++) {
                double ns = measure(cases[c], seconds);
                if (round > 0) {
                    // round 0 warms the JIT up
                    results.get(c).add(ns);
                }
            }
        }
        System.out.printf("wall-clock per request, every run in order: %s%n",
                          WALL.stream().map(v -> String.format("%.0f", v)).toList());
        for (int c = 0; c < cases.length; c++) {
            List<Double> sorted = new ArrayList<>(results.get(c));
            Collections.sort(sorted);
            System.out.printf("%-24s median %,8.0f ns CPU per request (rounds: %s)%n", names[c],
                              sorted.get(sorted.size() / 2),
                              results.get(c).stream().map(v -> String.format("%.0f", v)).toList());
        }
    }

    private static void check(Contract contract, Method method, UriPath path, UriQuery query, WritableHeaders<?> headers,
                              byte[] body) {
        Contract.Match match = contract.operation(method, path).orElseThrow();
        if (match.operation().check(match.path(), query, headers, body).isPresent()) {
            throw new IllegalStateException("rejected: " + method + " " + path);
        }
    }

    /** CPU nanoseconds per run of a task, run for {@code seconds} of CPU time. */
    private static double measure(Runnable task, int seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long end = cpuStart + seconds * 1_000_000_000L;
        long wallStart = System.nanoTime();
        long count = 0;
        long cpu;
        do {
            for (int i = 0; i < 1000; i++) {
                task.run();
            }
            count += 1000;
            cpu = threads.getCurrentThreadCpuTime();
        } while (cpu < end);
        WALL.add((System.nanoTime() - wallStart) / (double) count);
        return (cpu - cpuStart) / (double) count;
    }

    private static final List<Double> WALL = new ArrayList<>();
}
