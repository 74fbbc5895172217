// Side-effect import, first in main.ts: starts OpenTelemetry before any instrumented module loads.
import { startTracing } from './tracing-sdk';

startTracing();
