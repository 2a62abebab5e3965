package io.dharma.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Concurrent calls for one key share the first caller's work: the first runs it, the others wait for its result
 * (or its exception).
 *
 * @param <T> result type
 */
final class SingleFlight<T> {
    private final Map<String, CompletableFuture<T>> calls = new ConcurrentHashMap<>();

    T run(String key, Supplier<T> work) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> running = calls.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            T result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            calls.remove(key, mine);
        }
    }

    private static <T> T await(CompletableFuture<T> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
