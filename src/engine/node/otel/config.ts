/**
 * Where OpenTelemetry traces go, read the way the OTLP exporter reads it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as
 * is, or OTEL_EXPORTER_OTLP_ENDPOINT with `/v1/traces` appended. Undefined when neither is set, or when the
 * standard switches turn traces off (OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none): export is off and no
 * part of the SDK is loaded. Kept apart from the exporter so that asking costs nothing.
 */
export function otelTracesUrl(env: Record<string, string | undefined>): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
