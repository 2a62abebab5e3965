package io.dharma.services.cost;

/**
 * One resource to price (also its JSON form in requests): a blueprint resource and the cloud it runs on.
 *
 * @param type   resource type, e.g. {@code vm}, {@code database}, {@code bucket}, {@code cache}
 * @param size   size class: {@code small}, {@code medium}, {@code large}, {@code xlarge}
 * @param count  how many, 1..10000
 * @param region cloud region, e.g. {@code eu-west-1}
 * @param cloud  {@code aws}, {@code azure} or {@code gcp}
 */
public record ResourceSpec(String type, String size, Integer count, String region, String cloud) {
}
