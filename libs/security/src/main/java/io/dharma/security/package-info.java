/**
 * Authentication and the browser-facing protections of a Dharma service: JWT bearer tokens checked against keys from
 * config, the secret store or a JWKS URL; route protection by config; security headers on every response; CORS.
 * <p>
 * Entry points:
 * <ul>
 *     <li>{@link io.dharma.security.Security} - the filters (headers, CORS, authentication) and the wrappers that keep
 *     their headers on error responses</li>
 *     <li>{@link io.dharma.security.SecurityConfig} - the {@code security} config node</li>
 *     <li>{@link io.dharma.security.KeySource} - where verification keys come from (HMAC secret supplier, PEM, JWKS)</li>
 *     <li>{@link io.dharma.security.Principal} - who made the request, found in the request context</li>
 *     <li>{@link io.dharma.security.SecurityException} - the library's failures: {@link
 *     io.dharma.security.SecurityConfigException} (bad configuration or key, at start-up) and {@link
 *     io.dharma.security.KeysUnavailableException} (no verification keys known, answered 503)</li>
 * </ul>
 * Token parsing, signature and claim checks and JWKS fetching are nimbus-jose-jwt's ({@code DefaultJWTClaimsVerifier},
 * {@code JWKSourceBuilder}); this package decides which keys and claims are trusted and how failures are answered.
 */
@NullMarked
package io.dharma.security;

import org.jspecify.annotations.NullMarked;
