package io.dharma.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads OpenAPI documents from the class path and bundles them: every {@code $ref} to another document (e.g.
 * {@code openapi/problem.yaml#/components/schemas/Problem}, resolved against the referring document's location, so
 * {@code META-INF/openapi/problem.yaml} in dharma-openapi's jar) is replaced by a local reference to a copy of the
 * component, under the same name in the service document's {@code components}. The validator then works on one
 * self-contained document; the served document stays the checked-in file.
 */
final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClassLoader loader;
    private final String mainResource;
    private final ObjectNode main;
    private final Map<String, JsonNode> loaded = new ConcurrentHashMap<>();
    private final Set<String> copied = new HashSet<>();

    private Documents(ClassLoader loader, String mainResource, ObjectNode main) {
        this.loader = loader;
        this.mainResource = mainResource;
        this.main = main;
    }

    /**
     * The document at a class-path resource, bundled.
     *
     * @param loader   class loader to read it and the documents it refers to from
     * @param resource resource name, e.g. {@code META-INF/openapi.yaml}
     * @return the bundled document, empty if there is no such resource
     * @throws InvalidDocumentException if it or a document it refers to cannot be read, or a reference does not resolve
     */
    static Optional<ObjectNode> bundle(ClassLoader loader, String resource) {
        return read(loader, resource).map(document -> {
            if (!(document instanceof ObjectNode object)) {
                throw new InvalidDocumentException(resource + " is not a YAML or JSON object");
            }
            Documents documents = new Documents(loader, resource, object);
            documents.rewrite(object, resource);
            return object;
        });
    }

    /**
     * Read a YAML (or JSON) class-path resource with SnakeYAML (safe types only; a date stays a string).
     *
     * @param loader   class loader
     * @param resource resource name
     * @return the tree, empty if there is no such resource
     */
    static Optional<JsonNode> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            LoaderOptions options = new LoaderOptions();
            Object tree = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                                   options, new NoTimestamps()).load(in);
            return Optional.of(JSON.valueToTree(tree));
        } catch (IOException | YAMLException | IllegalArgumentException e) {
            throw new InvalidDocumentException(resource + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private void rewrite(JsonNode node, String base) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(local(field.getValue().textValue(), base)));
                } else {
                    rewrite(field.getValue(), base);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> rewrite(element, base));
        }
    }

    /** The local reference ({@code #/components/<type>/<name>}) standing for a reference made in document {@code base}. */
    private String local(String ref, String base) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        String resource = file.isEmpty() ? base : URI.create(base).resolve(file).toString();
        if (resource.equals(mainResource)) {
            return "#" + pointer;
        }
        String[] parts = pointer.split("/", -1);
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("components")) {
            throw new InvalidDocumentException("'" + ref + "' in " + base + ": a reference to another document must name a "
                                                       + "component, '<file>#/components/<type>/<name>'");
        }
        JsonNode target = loaded.computeIfAbsent(resource, r -> read(loader, r).orElseThrow(
                () -> new InvalidDocumentException("'" + ref + "' in " + base + ": " + r + " is not on the class path")))
                .at(pointer);
        if (target.isMissingNode()) {
            throw new InvalidDocumentException("'" + ref + "' in " + base + ": " + resource + " has no " + pointer);
        }
        if (copied.add(resource + "#" + pointer)) {
            ObjectNode components = object(object(main, "components"), parts[2]);
            if (components.has(parts[3]) && !placeholder(components.get(parts[3]), ref)) {
                throw new InvalidDocumentException(mainResource + " defines components." + parts[2] + "." + parts[3]
                                                           + " and also refers to " + resource + "#" + pointer);
            }
            JsonNode copy = target.deepCopy();
            components.set(parts[3], copy);
            rewrite(copy, resource);
        }
        return "#" + pointer;
    }

    /**
     * Whether a component of the main document only stands for the shared one of the same name, e.g.
     * {@code securitySchemes: {bearer: {$ref: 'openapi/problem.yaml#/components/securitySchemes/bearer'}}}: the copy
     * replaces it.
     */
    private static boolean placeholder(JsonNode component, String ref) {
        return component.size() == 1 && ref.equals(component.path("$ref").textValue());
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        if (child instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(name);
    }

    /** The YAML 1.1 resolver without timestamps: {@code version: 2024-01-01} is the string it looks like. */
    private static final class NoTimestamps extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
