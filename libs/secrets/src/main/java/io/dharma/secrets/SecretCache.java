package io.dharma.secrets;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values of the last refresh, per source, and the lookup through the chain. Reads are lock-free: a refresh
 * publishes a new list of immutable {@link SourceState}s. {@link #update} is called by one refresh at a time.
 */
final class SecretCache {
    private static final Logger LOGGER = LoggerFactory.getLogger(SecretCache.class);

    private final String chain;
    private volatile List<SourceState> states;
    private volatile @Nullable Instant lastRefresh;
    // names read with a value, so a change is noticed even for sources whose keys are not names (env)
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    SecretCache(List<SecretSource> sources, String chain) {
        this.chain = chain;
        this.states = sources.stream().map(SourceState::initial).toList();
    }

    List<SourceState> states() {
        return states;
    }

    Optional<Instant> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    Optional<String> get(String name) {
        String value = resolve(states, name);
        if (value != null) {
            read.add(name);
        }
        return Optional.ofNullable(value);
    }

    /**
     * Publish the states of a refresh.
     *
     * @param after   new state of every source, in chain order
     * @param watched names with listeners or required
     * @param now     time of the refresh
     * @return name to new value, for every name whose value changed (or appeared)
     */
    Map<String, String> update(List<SourceState> after, Collection<String> watched, Instant now) {
        List<SourceState> before = states;
        Map<String, String> changed = new LinkedHashMap<>();
        for (String name : candidates(before, after, watched)) {
            String old = resolve(before, name);
            String current = resolve(after, name);
            if (current == null) {
                if (old != null) {
                    // removed from the store: it stops being used now (a failing source keeps its values, see SourceState)
                    LOGGER.warn("Secret '{}' is no longer provided by any source ({}); it is no longer used", name, chain);
                }
            } else if (!current.equals(old)) {
                changed.put(name, current);
            }
        }
        states = List.copyOf(after);
        lastRefresh = now;
        return changed;
    }

    /** Names whose value may have changed: watched, read, or keyed by name in a source. */
    private Set<String> candidates(List<SourceState> before, List<SourceState> after, Collection<String> watched) {
        Set<String> names = new LinkedHashSet<>(watched);
        names.addAll(read);
        for (List<SourceState> snapshot : List.of(before, after)) {
            for (SourceState state : snapshot) {
                if (!(state.source() instanceof EnvSource)) {
                    names.addAll(state.values().keySet());
                }
            }
        }
        return names;
    }

    private static @Nullable String resolve(List<SourceState> snapshot, String name) {
        for (SourceState state : snapshot) {
            String value = state.values().get(state.source().key(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
