package io.dharma.services.blueprint;

/**
 * One resource of a blueprint (also its JSON form in requests and responses).
 *
 * @param type   resource type, e.g. {@code vm}, {@code bucket}, {@code database}
 * @param size   size class, e.g. {@code small}
 * @param count  how many, 1..10000
 * @param region cloud region, e.g. {@code eu-west-1}
 */
public record BlueprintResource(String type, String size, Integer count, String region) {
}
