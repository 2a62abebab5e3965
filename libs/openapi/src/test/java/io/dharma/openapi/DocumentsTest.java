package io.dharma.openapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.dharma.errors.ErrorCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bundling: references to the shared document become local components (with what they refer to in turn); broken
 * references stop the service with a message naming them.
 */
class DocumentsTest {
    private static final ClassLoader LOADER = DocumentsTest.class.getClassLoader();

    @Test
    void sharedComponentsAreCopiedInAndEveryReferenceIsLocal() {
        ObjectNode bundled = Documents.bundle(LOADER, Fixtures.WIDGETS).orElseThrow();
        JsonNode components = bundled.path("components");
        assertThat(components.path("responses").has("BadRequest"), is(true));
        assertThat(components.path("responses").has("NotFound"), is(true));
        assertThat("not referred to, not copied", components.path("responses").has("Conflict"), is(false));
        // what the copied response refers to in its own document comes along
        assertThat(components.path("schemas").has("Problem"), is(true));
        assertThat(components.path("schemas").has("FieldError"), is(true));
        assertThat(components.path("headers").has("RateLimit"), is(true));
        assertThat(bundled.at("/paths/~1widgets/get/responses/400/$ref").textValue(), is("#/components/responses/BadRequest"));
        // a component that only refers to the shared one of its name becomes the shared one
        assertThat(bundled.at("/components/securitySchemes/bearer/scheme").textValue(), is("bearer"));
        List<String> external = new ArrayList<>();
        collectExternalRefs(bundled, external);
        assertThat(external, is(empty()));
    }

    @Test
    void aServiceWithoutADocumentHasNoContract() {
        assertThat(Documents.bundle(LOADER, "META-INF/none.yaml").isPresent(), is(false));
        assertThat(OpenApi.create(OpenApiConfig.create(), "META-INF/none.yaml").isPresent(), is(false));
    }

    @Test
    void brokenReferencesAreNamed() {
        assertThat(assertThrows(InvalidDocumentException.class,
                                () -> Documents.bundle(LOADER, "META-INF/broken/missing-file.yaml")).getMessage(),
                   containsString("META-INF/broken/openapi/no-such-file.yaml is not on the class path"));
        assertThat(assertThrows(InvalidDocumentException.class,
                                () -> Documents.bundle(LOADER, "META-INF/broken/missing-component.yaml")).getMessage(),
                   containsString("has no /components/schemas/NoSuchSchema"));
        assertThat(assertThrows(InvalidDocumentException.class,
                                () -> Documents.bundle(LOADER, "META-INF/broken/duplicate.yaml")).getMessage(),
                   containsString("defines components.schemas.Problem and also refers to META-INF/openapi/problem.yaml"));
    }

    @Test
    void theSharedProblemCodesAreTheErrorCatalog() {
        JsonNode codes = Documents.read(LOADER, OpenApi.SHARED_DOCUMENT).orElseThrow()
                .at("/components/schemas/Problem/properties/code/enum");
        List<String> listed = new ArrayList<>();
        codes.forEach(code -> listed.add(code.textValue()));
        assertThat(listed, is(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()));
    }

    private static void collectExternalRefs(JsonNode node, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref") && !field.getValue().textValue().startsWith("#")) {
                    found.add(field.getValue().textValue());
                }
                collectExternalRefs(field.getValue(), found);
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectExternalRefs(element, found));
        }
    }
}
