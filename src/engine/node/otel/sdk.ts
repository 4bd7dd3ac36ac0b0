/**
 * The OpenTelemetry packages, imported at run time by name. The CLI's bundle (esbuild, ESM output, build-cli.mjs)
 * cannot hold their CommonJS builds, which require Node built-ins dynamically ("Dynamic require of util is not
 * supported"); loaded by name they come from node_modules, as the bundle's other externals (transformers.js, ws)
 * do. Listing `@opentelemetry/*` among build-cli.mjs's externals would let exporter.ts import them plainly.
 */
export interface OtelSdk {
  api: typeof import('@opentelemetry/api');
  resources: typeof import('@opentelemetry/resources');
  trace: typeof import('@opentelemetry/sdk-trace-base');
  otlp: typeof import('@opentelemetry/exporter-trace-otlp-http');
  semconv: typeof import('@opentelemetry/semantic-conventions');
  incubating: typeof import('@opentelemetry/semantic-conventions/incubating');
}

const PACKAGES = {
  api: '@opentelemetry/api',
  resources: '@opentelemetry/resources',
  trace: '@opentelemetry/sdk-trace-base',
  otlp: '@opentelemetry/exporter-trace-otlp-http',
  semconv: '@opentelemetry/semantic-conventions',
  incubating: '@opentelemetry/semantic-conventions/incubating',
} as const;

/** Imports the SDK's packages (a name in a variable: the bundler leaves the import to Node). */
export async function loadOtelSdk(): Promise<OtelSdk> {
  const load = (name: string): Promise<unknown> => import(name);
  const entries = await Promise.all(Object.entries(PACKAGES).map(async ([key, name]) => [key, await load(name)] as const));
  return Object.fromEntries(entries) as unknown as OtelSdk;
}
