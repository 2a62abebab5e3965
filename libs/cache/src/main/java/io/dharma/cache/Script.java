package io.dharma.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script from this package's resources, with its SHA-1 for {@code EVALSHA}.
 *
 * @param name file name without {@code .lua}
 * @param text script text
 * @param sha  lower-case hex SHA-1 of the text, as bytes
 */
record Script(String name, byte[] text, byte[] sha) {
    static final Script READ = load("read");
    static final Script FILL = load("fill");
    static final Script PUT = load("put");
    static final Script INVALIDATE = load("invalidate");

    private static Script load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new CacheException(name + ".lua is missing from the class path");
            }
            byte[] text = in.readAllBytes();
            byte[] sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text))
                    .getBytes(StandardCharsets.US_ASCII);
            return new Script(name, text, sha);
        } catch (IOException e) {
            throw new CacheException("Cannot read " + name + ".lua", e);
        } catch (NoSuchAlgorithmException e) {
            throw new CacheException("SHA-1 is not available", e);
        }
    }
}
