#!/bin/sh
# Links a Java runtime holding only the modules an application needs (image builds, stage "build").
#   jre.sh <application jar> <directory of its libraries> <output directory>
# jdeps misses modules loaded reflectively: java.naming (Logback), java.logging, java.xml, jdk.management.
# --strip-java-debug-attributes, not --strip-debug: that also strips native symbols, which needs objcopy (binutils).
set -eu
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 25 --class-path "$2/*" "$1")"
jlink --add-modules "$modules,java.naming,java.logging,java.xml,jdk.management" \
      --strip-java-debug-attributes --no-header-files --no-man-pages --compress=zip-6 --output "$3"
echo "jre.sh: $3 with $modules,java.naming,java.logging,java.xml,jdk.management"
