// Small public surfaces: a public type of a library must be used outside its module (by another library, a reference
// service or a test there), be one of the library's exception types, be loaded by name (a service, a class named in
// logback.xml), appear in the signature of such a type's public members, or be listed below with the reason. A type
// only its own module uses is package-private. References are read with jdeps from the class files.
import java.util.spi.ToolProvider

def root = new File(basedir, "../../..").canonicalFile
// API for what no module here is: a service's own code and logback.xml, and bench/ (run by bench/*.sh, not a module)
def allowed = [
        // the limiter's programmatic API, driven by bench/ratelimit against Bucket4j
        "io.dharma.ratelimit.Decision", "io.dharma.ratelimit.FailureMode", "io.dharma.ratelimit.HeaderStyle",
        "io.dharma.ratelimit.KeyPart", "io.dharma.ratelimit.Policy", "io.dharma.ratelimit.PolicyState",
        "io.dharma.ratelimit.RateLimiter", "io.dharma.ratelimit.RouteLimit",
        // named in a service's own logback.xml (docs/operations.md), and log arguments written as JSON fields
        "io.dharma.logging.LogFormatFilter", "io.dharma.logging.RedactingMasker",
        "io.dharma.logging.RedactingPatternLayoutEncoder", "io.dharma.logging.LogField",
]

// the modules of libs/pom.xml and services/pom.xml, each compiled with its tests (a type only another module's tests
// use counts as used, so test classes must be there: not built with -Dmaven.test.skip)
def modules = [:]
["libs", "services"].each { parent ->
    (new File(root, parent + "/pom.xml").text =~ /<module>([^<]+)<\/module>/).each { match ->
        def module = new File(root, parent + "/" + match[1])
        ["main", "test"].each { kind ->
            def classes = new File(module, kind == "main" ? "target/classes" : "target/test-classes")
            if (new File(module, "src/" + kind + "/java").isDirectory() && !classes.isDirectory()) {
                throw new AssertionError(classes.toString() + " is missing: build every module with its tests first")
            }
        }
        modules[module] = module
    }
}
if (modules.size() < 15) {
    throw new AssertionError("only " + modules.size() + " modules listed in libs/pom.xml and services/pom.xml")
}

// jdeps sees references in class files only: a compile-time constant inlined elsewhere or an annotation read by name
// leave none, so such a type would be reported here (never wrongly passed)
def classFiles = { File dir ->
    def found = []
    if (dir.isDirectory()) {
        dir.eachFileRecurse { if (it.name.endsWith(".class") && it.name != "module-info.class") found << it }
    }
    found
}
def className = { File dir, File file ->
    dir.toPath().relativize(file.toPath()).toString().replace(File.separator, ".").replaceAll(/\.class$/, "")
}
// access_flags follow the constant pool
def isPublicFlag = { File file ->
    def input = new DataInputStream(new BufferedInputStream(new FileInputStream(file)))
    try {
        input.skipBytes(8)
        int count = input.readUnsignedShort()
        for (int i = 1; i < count; i++) {
            int tag = input.readUnsignedByte()
            switch (tag) {
                case 1: input.skipBytes(input.readUnsignedShort()); break
                case [3, 4, 9, 10, 11, 12, 17, 18]: input.skipBytes(4); break
                case [5, 6]: input.skipBytes(8); i++; break
                case [7, 8, 16, 19, 20]: input.skipBytes(2); break
                case 15: input.skipBytes(3); break
                default: throw new AssertionError("unknown constant pool tag " + tag + " in " + file)
            }
        }
        return (input.readUnsignedShort() & 0x0001) != 0
    } finally {
        input.close()
    }
}

def owner = [:]            // class name -> module directory
def publicTypes = [:]      // module directory -> public type names (nested ones only when every outer is public)
def services = [] as Set   // names in META-INF/services: loaded by name, so public
modules.keySet().each { module ->
    def main = new File(module, "target/classes")
    def flags = [:]
    classFiles(main).each { flags[className(main, it)] = isPublicFlag(it) }
    flags.keySet().each { owner[it] = module }
    publicTypes[module] = flags.findAll { name, pub ->
        def outers = []
        def parts = name.split(/\$/)
        for (int i = 1; i <= parts.length; i++) outers << parts[0..<i].join('$')
        !name.endsWith("package-info") && outers.every { flags[it] == true } && !(name =~ /\$\d/)
    }.keySet()
    def registered = new File(main, "META-INF/services")
    if (registered.isDirectory()) {
        registered.eachFile { it.eachLine { line -> if (line.trim()) services << line.trim() } }
    }
}

// every class file of every module, main and test, as jdeps sees it
def targets = []
modules.keySet().each { m -> ["target/classes", "target/test-classes"].each { d ->
    def dir = new File(m, d)
    if (dir.isDirectory()) targets << dir.path
} }
def out = new StringWriter()
def err = new StringWriter()
int code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(err),
        (["-verbose:class", "-filter:none", "--multi-release", "base"] + targets) as String[])
if (code != 0) {
    throw new AssertionError("jdeps failed (" + code + "): " + err)
}
def testOwner = [:]
modules.keySet().each { m ->
    def test = new File(m, "target/test-classes")
    classFiles(test).each { testOwner[className(test, it)] = m }
}
def usedOutside = [] as Set
out.toString().eachLine { line ->
    def m = line =~ /^\s+(\S+)\s+->\s+(io\.dharma\.\S+)/
    if (m.find()) {
        def from = owner[m.group(1)] ?: testOwner[m.group(1)]
        def to = owner[m.group(2)]
        if (from != null && to != null && from != to) {
            usedOutside << m.group(2)
        }
    }
}
if (usedOutside.size() < 50) {
    throw new AssertionError("only " + usedOutside.size() + " types used across modules: jdeps' output changed?\n" + out)
}

// a type in the signature of a public member of such a type is part of the API too (jdeps -apionly)
def apiOut = new StringWriter()
code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(apiOut), new PrintWriter(err),
        (["-apionly", "-verbose:class", "-filter:none"]
                + modules.keySet().collect { new File(it, "target/classes").path }) as String[])
if (code != 0) {
    throw new AssertionError("jdeps -apionly failed (" + code + "): " + err)
}
def signatures = [:].withDefault { [] as Set }
apiOut.toString().eachLine { line ->
    def m = line =~ /^\s+(io\.dharma\.\S+)\s+->\s+(io\.dharma\.\S+)/
    if (m.find()) {
        signatures[m.group(1)] << m.group(2)
    }
}
// class names in configuration files (logback.xml names its encoder and filters) are loaded by name
def named = [] as Set
modules.keySet().each { m ->
    def resources = new File(m, "src/main/resources")
    if (resources.isDirectory()) {
        resources.eachFileRecurse { f ->
            if (f.isFile() && f.name =~ /\.(xml|ya?ml|properties)$/) {
                (f.text =~ /io\.dharma\.[\w.$]+/).each { named << it }
            }
        }
    }
}
def api = [] as Set
api.addAll(usedOutside)
api.addAll(services)
api.addAll(named)
api.addAll(allowed)
publicTypes.values().flatten().each { if (it.substring(it.lastIndexOf('.') + 1).endsWith("Exception")) api << it }
def grown = true
while (grown) {
    def reached = api.collectMany { signatures[it] }.findAll { !api.contains(it) }
    api.addAll(reached)
    grown = !reached.isEmpty()
}

def unused = []
publicTypes.each { module, names ->
    if (module.parentFile.name != "libs" || module.name == "testing") {
        return // services are applications; dharma-testing's whole purpose is use by other modules' tests
    }
    names.each { name ->
        if (!api.contains(name)) {
            unused << (module.name + ": " + name)
        }
    }
}
def stale = allowed.findAll { !publicTypes.values().flatten().contains(it) }
if (!stale.isEmpty()) {
    throw new AssertionError("listed as allowed but not a public type (any more): " + stale)
}
if (!unused.isEmpty()) {
    throw new AssertionError("public types no other module uses; make them package-private, or list them in "
            + "src/it/public-surface/verify.groovy with the reason:\n  " + unused.sort().join("\n  "))
}
println "public surface: " + publicTypes.findAll { it.key.parentFile.name == "libs" }.values().flatten().size() +
        " public library types, each used outside its module or allowed"
