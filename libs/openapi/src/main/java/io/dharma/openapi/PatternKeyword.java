package io.dharma.openapi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.schema.SwaggerV20Library;
import com.github.fge.jackson.NodeType;
import com.github.fge.jsonschema.core.exceptions.ProcessingException;
import com.github.fge.jsonschema.core.keyword.syntax.checkers.common.PatternSyntaxChecker;
import com.github.fge.jsonschema.core.processing.Processor;
import com.github.fge.jsonschema.core.report.ListReportProvider;
import com.github.fge.jsonschema.core.report.LogLevel;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.cfg.ValidationConfiguration;
import com.github.fge.jsonschema.keyword.validator.AbstractKeywordValidator;
import com.github.fge.jsonschema.library.Keyword;
import com.github.fge.jsonschema.library.Library;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import com.github.fge.jsonschema.processors.data.FullData;
import com.github.fge.msgsimple.bundle.MessageBundle;
import com.github.fge.msgsimple.load.MessageBundles;

/**
 * The validator's schema factory with one change: the {@code pattern} keyword is matched with {@link Pattern},
 * compiled once per pattern of the document, instead of the schema library's ECMA-262 helper, which runs every match
 * as JavaScript in Rhino and compiles the expression each time. The patterns of an OpenAPI document ({@code
 * ^[A-Za-z0-9._-]{1,50}$} and the like) mean the same in both dialects; exotic ECMA-only syntax would not.
 */
final class PatternKeyword extends AbstractKeywordValidator {
    private final Map<String, Pattern> compiled;

    private PatternKeyword(Map<String, Pattern> compiled) {
        super("pattern");
        this.compiled = compiled;
    }

    /**
     * The factory the request validator compiles schemas with: the OpenAPI library of swagger-request-validator
     * ({@link SwaggerV20Library#schemaFactory()}) with this {@code pattern}.
     *
     * @return factory
     */
    static JsonSchemaFactory schemaFactory() {
        Map<String, Pattern> compiled = new ConcurrentHashMap<>();
        Library library = SwaggerV20Library.get().thaw()
                .addKeyword(Keyword.newBuilder("pattern")
                                    .withSyntaxChecker(PatternSyntaxChecker.getInstance())
                                    .withIdentityDigester(NodeType.STRING)
                                    .withValidatorFactory(digest -> new PatternKeyword(compiled))
                                    .freeze())
                .freeze();
        return JsonSchemaFactory.newBuilder()
                .setValidationConfiguration(ValidationConfiguration.newBuilder()
                                                    .setDefaultLibrary(SwaggerV20Library.OAI_V2_METASCHEMA_URI, library)
                                                    .setSyntaxMessages(MessageBundles.getBundle(
                                                            SwaggerV20Library.SyntaxBundle.class))
                                                    .setValidationMessages(MessageBundles.getBundle(
                                                            SwaggerV20Library.ValidationBundle.class))
                                                    .freeze())
                .setReportProvider(new ListReportProvider(LogLevel.ERROR, LogLevel.FATAL))
                .freeze();
    }

    @Override
    public void validate(Processor<FullData, FullData> processor, ProcessingReport report, MessageBundle bundle,
                         FullData data) throws ProcessingException {
        // one validator serves every string schema: the pattern is the schema's
        String regex = data.getSchema().getNode().get(keyword).textValue();
        String value = data.getInstance().getNode().textValue();
        if (!compiled.computeIfAbsent(regex, Pattern::compile).matcher(value).find()) {
            report.error(newMsg(data, bundle, "err.common.pattern.noMatch")
                                 .putArgument("regex", regex)
                                 .putArgument("string", value));
        }
    }

    @Override
    public String toString() {
        return keyword;
    }
}
