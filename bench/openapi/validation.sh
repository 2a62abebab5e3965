#!/usr/bin/env bash
# Nanoseconds per request validation of blueprint-service's document in a hot loop (one thread, no HTTP): GET by id,
# GET list with two query parameters, POST create with the body of http.sh. Compiles bench/openapi/src against
# dharma-openapi's classes and blueprint-service's runtime class path (build first: mvn -B -q install -DskipTests).
# Usage: bench/openapi/validation.sh [seconds per case per round, default 3] [rounds, default 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
LIBS=services/blueprint-service/target/libs
[ -d "$LIBS" ] || { echo "no $LIBS: build first (mvn -B -q install -DskipTests)" >&2; exit 1; }
OUT=target/bench/openapi-validation-classes
mkdir -p "$OUT"
# the library's classes first: the bench uses its package-private Contract
CP="libs/openapi/target/classes:$LIBS/*:services/blueprint-service/src/main/resources"
"$JAVA_HOME/bin/javac" -q -d "$OUT" -cp "$CP" bench/openapi/src/io/dharma/openapi/ValidationBench.java 2>/dev/null \
    || "$JAVA_HOME/bin/javac" -d "$OUT" -cp "$CP" bench/openapi/src/io/dharma/openapi/ValidationBench.java
exec "$JAVA_HOME/bin/java" -cp "$OUT:$CP" io.dharma.openapi.ValidationBench "$@"
