package io.dharma.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

import io.dharma.errors.ApiException;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The API reference page: Swagger UI from the {@code org.webjars:swagger-ui} jar on the class path, pointed at the
 * service's own document. Every file is read once, when the server starts, and answered from memory with its media
 * type, a strong {@code ETag} ({@code 304} on {@code If-None-Match}) and {@code Cache-Control: no-cache}; any other
 * name below the page's path is a 404 problem.
 * <p>
 * The page runs no inline script (the initializer is a file of its own that reads the document's URL from the page),
 * so its {@value #CONTENT_SECURITY_POLICY} relaxes the API's {@code default-src 'none'} only as far as the page
 * needs: scripts, styles and fetches from the service itself, and the {@code data:} images Swagger UI's styles use.
 */
final class SwaggerUi {
    /** The page's policy; it replaces the security headers' default policy on the page only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Class-path folder of the webjar's files; the version folder comes from its {@value #WEBJAR_PROPERTIES}. */
    static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** This library's page and initializer. */
    private static final String OWN = "META-INF/openapi/ui/";
    private static final String INDEX = "index.html";
    private static final String HTML = "text/html; charset=UTF-8";
    private static final String JAVASCRIPT = "text/javascript; charset=UTF-8";
    private static final String CSS = "text/css; charset=UTF-8";
    private static final String PNG = "image/png";
    private static final Header NO_CACHE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache");
    private static final Header POLICY = HeaderValues.createCached("Content-Security-Policy", CONTENT_SECURITY_POLICY);

    private final String path;
    /** File name below {@link #path} to its answer; the page itself under "" too. */
    private final Map<String, Asset> assets;

    private SwaggerUi(String path, Map<String, Asset> assets) {
        this.path = path;
        this.assets = Map.copyOf(assets);
    }

    /**
     * Read every file of the page.
     *
     * @param loader       class loader with the webjar and this library
     * @param path         where the page is served ({@code openapi.ui.path})
     * @param documentPath where the document is served ({@code openapi.path})
     * @return the page
     * @throws InvalidDocumentException if the webjar is not on the class path
     */
    static SwaggerUi create(ClassLoader loader, String path, String documentPath) {
        String webjar = WEBJAR + webjarVersion(loader) + "/";
        // the page names its files and the document by absolute path, so it works at <path> and <path>/ alike
        String index = new String(read(loader, OWN + INDEX), StandardCharsets.UTF_8)
                .replace("${ui}", escape(path))
                .replace("${document}", escape(documentPath));
        Map<String, Asset> assets = new HashMap<>();
        Asset page = Asset.create(index.getBytes(StandardCharsets.UTF_8), HTML);
        assets.put("", page);
        assets.put(INDEX, page);
        assets.put("swagger-initializer.js", Asset.create(read(loader, OWN + "swagger-initializer.js"), JAVASCRIPT));
        assets.put("swagger-ui-bundle.js", Asset.create(read(loader, webjar + "swagger-ui-bundle.js"), JAVASCRIPT));
        assets.put("swagger-ui.css", Asset.create(read(loader, webjar + "swagger-ui.css"), CSS));
        assets.put("index.css", Asset.create(read(loader, webjar + "index.css"), CSS));
        assets.put("favicon-32x32.png", Asset.create(read(loader, webjar + "favicon-32x32.png"), PNG));
        assets.put("favicon-16x16.png", Asset.create(read(loader, webjar + "favicon-16x16.png"), PNG));
        return new SwaggerUi(path, assets);
    }

    /**
     * Route the page and its files.
     *
     * @param routing routing of a socket that serves the document
     */
    void routing(HttpRouting.Builder routing) {
        routing.get(path, (req, res) -> send(req, res, ""))
                .get(path + "/*", (req, res) -> send(req, res, req.path().path().substring(path.length() + 1)));
    }

    private void send(ServerRequest req, ServerResponse res, String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw ApiException.notFound("The API reference has no file " + name);
        }
        res.header(NO_CACHE).header(asset.etag());
        if (asset.contentType().equals(HTML)) {
            res.header(POLICY);
        }
        if (req.headers().value(HeaderNames.IF_NONE_MATCH).map(asset::matches).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType()).send(asset.bytes());
    }

    /**
     * The page as served.
     *
     * @return HTML
     */
    String page() {
        return new String(assets.get(INDEX).bytes(), StandardCharsets.UTF_8);
    }

    static String webjarVersion(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new InvalidDocumentException("openapi.ui.enabled needs org.webjars:swagger-ui on the class path ("
                                                           + WEBJAR_PROPERTIES + " is missing)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidDocumentException("openapi.ui.enabled needs " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * One file's answer.
     *
     * @param bytes       the body
     * @param contentType its media type
     * @param etag        its strong entity tag, from the content
     */
    private record Asset(byte[] bytes, String contentType, Header etag) {
        static Asset create(byte[] bytes, String contentType) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                String tag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
                return new Asset(bytes, contentType, HeaderValues.createCached(HeaderNames.ETAG, tag));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        /** Whether an {@code If-None-Match} value names this file's tag (weak comparison, RFC 9110 13.1.2). */
        boolean matches(String ifNoneMatch) {
            String tag = etag.get();
            for (String candidate : ifNoneMatch.split(",")) {
                String trimmed = candidate.strip();
                if (trimmed.equals("*") || trimmed.equals(tag) || trimmed.equals("W/" + tag)) {
                    return true;
                }
            }
            return false;
        }
    }
}
