# Sourced by the launchers in bin/, not run: builds the examples module and what it needs when a launcher would
# otherwise start stale or missing classes, then leaves the run-time class path in examples/target/classpath.txt.
#
#   arc4j_build CLASS_FILE   CLASS_FILE: the launcher's main class under examples/target/classes
#
# Sets $arc4j_cp to the class path to start java with. The build is one reactor run (`package`, no `install`
# into ~/.m2): the class path names the sibling modules' jars in their target/ folders. It runs offline first,
# since after the first build every dependency is in the local Maven repository; only when that fails for want of
# a dependency (a clean checkout, or a pom that gained one) does it run again online, and says so. Why it builds
# at all is said on stderr; the build's own output goes to stderr too, so stdout stays the tool's.

arc4j_build() {
  local root cp_file newer why log
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cp_file="$root/examples/target/classpath.txt"
  if [ ! -f "$root/examples/target/classes/$1" ]; then
    why="examples/target/classes/$1 is missing"
  elif [ ! -f "$cp_file" ]; then
    why="examples/target/classpath.txt is missing"
  else  # a source or a pom changed since the last build (a new dependency must reach the class path)
    newer="$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -path '*/src/main/*' -o -name pom.xml \) \
        -newer "$cp_file" -print -quit)"
    [ -z "$newer" ] || why="${newer#"$root"/} changed since the last build"
  fi
  if [ -n "${why:-}" ]; then
    echo "arc4j: building first ($why)" >&2
    local -a mvn=(./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl examples -am
        package dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt)
    log="$(mktemp)"
    if ! (cd "$root" && "${mvn[@]}" -o) >"$log" 2>&1; then
      if grep -q "in offline mode" "$log"; then
        echo "arc4j: a dependency is not in the local Maven repository yet; building online to fetch it" >&2
        (cd "$root" && "${mvn[@]}") >&2 || { rm -f "$log"; return 1; }
      else
        cat "$log" >&2
        rm -f "$log"
        return 1
      fi
    else
      cat "$log" >&2
    fi
    rm -f "$log"
    touch "$cp_file"  # the plugin leaves an unchanged file alone; its time marks this build for the check above
  fi
  arc4j_cp="$root/examples/target/classes:$(cat "$cp_file")"
}
