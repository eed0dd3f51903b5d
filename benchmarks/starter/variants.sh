# Sourced by run.sh and startups.sh: the demo jars and the application arguments of each kind of variant, defined
# once so that both scripts start the same applications.

jar_of() { ls "$1"/target/*.jar 2>/dev/null | grep -v -e original -e sources -e tests | head -1 || true; }

# build_demo_jars: builds the demo jars and the harness (BENCH_NO_BUILD=1: not), sets STARTER_JAR, BARE_JAR, NATIVE_JAR.
# Built every time (about a minute): jars or harness classes left from an older checkout would be measured silently
# (a stale harness once broke a run's parsing); BENCH_NO_BUILD=1 measures what is there.
build_demo_jars() {
  if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    ./mvnw -q -B -pl examples/demo-service,benchmarks/starter/harness,benchmarks/starter/demo-bare,benchmarks/starter/demo-boot-native \
      -am package -DskipTests -Dspotless.check.skip=true
  fi
  STARTER_JAR=$(jar_of examples/demo-service)
  BARE_JAR=$(jar_of benchmarks/starter/demo-bare)
  NATIVE_JAR=$(jar_of benchmarks/starter/demo-boot-native)
}

# variant_args KIND APP_PORT MGMT_PORT SINK_PORT: sets ARGS, the application arguments of a variant of that kind
# (the OpenTelemetry agent's settings are environment variables: run.sh sets them).
variant_args() {
  local kind=$1 mgmt=$3 sink_port=$4
  local sink="http://127.0.0.1:$sink_port"
  ARGS=(--server.port="$2" --server.address=127.0.0.1 --demo.slow-ratio=0 --demo.failure-ratio=0)
  case "$kind" in
    bare|otel-agent) ;;
    starter|starter-before)
      ARGS+=(--management.server.port="$mgmt" --sightline.logging.format=json
        --sightline.tracing.otlp.endpoint="$sink/v1/traces" --sightline.errors.sentry.dsn="http://benchkey@127.0.0.1:$sink_port/1") ;;
    boot-native)
      ARGS+=(--management.server.port="$mgmt" --management.server.address=127.0.0.1
        --management.endpoints.web.exposure.include=health,prometheus --management.tracing.sampling.probability=0.1
        --management.opentelemetry.tracing.export.otlp.endpoint="$sink/v1/traces"
        --management.otlp.metrics.export.enabled=false --logging.structured.format.console=logstash) ;;
    *) echo "unknown kind of variant: $kind (bare, starter, starter-before, boot-native, otel-agent)" >&2; return 2 ;;
  esac
}
