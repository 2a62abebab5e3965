package io.dharma.secrets;

import java.util.Map;

/**
 * One link of the chain. {@link #load()} reads everything the source holds now; lookups then run on that snapshot,
 * so reading a secret never touches the source.
 */
sealed interface SecretSource permits EnvSource, FileSource, VaultSource {
    /**
     * Id used in config ({@code secrets.sources}), logs and readiness details.
     *
     * @return {@code env}, {@code files} or {@code vault}
     */
    String id();

    /**
     * Key under which this source stores a secret name in its snapshot.
     *
     * @param name secret name, e.g. {@code jwt-signing-key}
     * @return key in the map returned by {@link #load()}
     */
    String key(String name);

    /**
     * Read what the source holds now.
     *
     * @return key to value; empty when the source answered but holds nothing
     * @throws RuntimeException when the source cannot be read (unreachable, denied, unreadable)
     */
    Map<String, String> load();
}
