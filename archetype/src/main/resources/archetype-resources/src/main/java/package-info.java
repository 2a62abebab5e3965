/**
 * ${artifactId}: the ${resourcePlural} API.
 * <p>
 * Entry points:
 * <ul>
 * <li>{@link ${package}.Main}: bootstrap</li>
 * <li>{@link ${package}.${resourceClass}Service}: routes under {@code /api/v1/${resourcePlural}}</li>
 * </ul>
 */
@NullMarked
package ${package};

import org.jspecify.annotations.NullMarked;
