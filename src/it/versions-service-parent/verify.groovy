// The two ways of building on Dharma resolve the same versions: a project importing dharma-bom under a parent of its
// own, and one inheriting dharma-service-parent (with its own plugins and dependencies, which must not move a version).
def versions = { File list ->
    if (!list.isFile()) {
        throw new AssertionError("missing " + list)
    }
    def found = [:]
    list.eachLine { line ->
        def m = line.trim() =~ /^([^:\s]+):([^:\s]+):[^:\s]+:(?:[^:\s]+:)?([^:\s]+):(compile|runtime|test|provided)/
        if (m.find()) {
            found[m.group(1) + ":" + m.group(2)] = m.group(3)
        }
    }
    found
}
def ownParent = versions(new File(basedir, "../versions-own-parent/target/dependencies.txt"))
def serviceParent = versions(new File(basedir, "target/dependencies.txt"))
// dharma-service-parent adds dependencies of its own (JSpecify, provided): only artifacts on both class paths count
def common = ownParent.keySet().intersect(serviceParent.keySet())
if (common.size() < 50) {
    throw new AssertionError("too few artifacts listed (" + common.size() + "): the list's format changed?")
}
def differences = common.findAll { ownParent[it] != serviceParent[it] }
        .collect { it + ": own parent " + ownParent[it] + ", dharma-service-parent " + serviceParent[it] }
if (!differences.isEmpty()) {
    throw new AssertionError("dharma-bom and dharma-service-parent resolve different versions:\n  "
                                     + differences.join("\n  "))
}
// the versions the BOM moves past Helidon's are the ones resolved: its entries come before helidon-dependencies
def bom = new File(basedir, "../../../libs/bom/pom.xml").text
def pinned = { String property ->
    def m = bom =~ ("<" + property + ">([^<]+)</" + property + ">")
    m.find() ? m.group(1) : ""
}
def pins = ["com.zaxxer:HikariCP"                       : pinned("version.lib.hikaricp"),
            "com.fasterxml.jackson.core:jackson-databind" : pinned("version.lib.jackson"),
            "ch.qos.logback:logback-classic"              : pinned("version.lib.logback"),
            "com.h2database:h2"                           : pinned("version.lib.h2"),
            "org.postgresql:postgresql"                   : pinned("version.lib.postgresql"),
            "io.opentelemetry:opentelemetry-api"          : pinned("version.lib.opentelemetry"),
            "org.junit.jupiter:junit-jupiter-api"         : pinned("version.lib.junit"),
            "org.hamcrest:hamcrest"                       : pinned("version.lib.hamcrest")]
def lost = pins.findAll { artifact, version -> version.isEmpty() || ownParent[artifact] != version }
        .collect { artifact, version -> artifact + ": pinned " + version + ", resolved " + ownParent[artifact] }
if (!lost.isEmpty()) {
    throw new AssertionError("dharma-bom's pins lost to another version:\n  " + lost.join("\n  "))
}
println("dharma-bom and dharma-service-parent resolve the same versions of " + common.size() + " artifacts; " +
        pins.size() + " pins hold")
return true
