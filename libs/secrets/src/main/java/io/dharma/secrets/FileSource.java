package io.dharma.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in a directory, one per secret: file {@code <dir>/jwt-signing-key} holds secret {@code jwt-signing-key}
 * (UTF-8, trailing line breaks removed). This is how Kubernetes mounts a Secret volume: each key is a symlink into a
 * {@code ..data} directory that the kubelet swaps atomically; entries starting with {@code .} are skipped. A missing
 * directory holds no secrets (nothing mounted).
 */
final class FileSource implements SecretSource {
    /** Kubernetes Secrets are at most 1 MiB; anything larger is not a secret file. */
    static final long MAX_FILE_SIZE = 1024 * 1024;
    private static final Logger LOGGER = LoggerFactory.getLogger(FileSource.class);

    private final Path directory;

    FileSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public String id() {
        return SecretsConfig.FILES;
    }

    @Override
    public String key(String name) {
        return name;
    }

    @Override
    public Map<String, String> load() {
        if (!Files.isDirectory(directory)) {
            return Map.of();
        }
        List<Path> entries;
        try (Stream<Path> listing = Files.list(directory)) {
            entries = listing.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the secrets directory " + directory, e);
        }
        Map<String, String> values = new HashMap<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!name.startsWith(".") && Files.isRegularFile(entry)) {
                read(entry, name, values);
            }
        }
        return Map.copyOf(values);
    }

    private static void read(Path file, String name, Map<String, String> values) {
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                LOGGER.warn("Skipping secret file '{}': larger than {} bytes", name, MAX_FILE_SIZE);
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            values.put(name, stripLineBreaks(text));
        } catch (CharacterCodingException e) {
            LOGGER.warn("Skipping secret file '{}': not UTF-8 text", name);
        } catch (NoSuchFileException e) {
            // removed between listing and reading (a rotation in progress): the next refresh sees the new state
            LOGGER.debug("Secret file '{}' disappeared while reading", name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read secret file " + file, e);
        }
    }

    static String stripLineBreaks(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }
}
