import { toChromeTrace, toSpeedscope } from '../../engine/formats/profileExport.js';
import { statsToPrometheus } from '../../engine/formats/telemetry.js';
import type { CommandHandlers } from './types.js';

/** What the engine measured: the profiler's spans as speedscope or Chrome trace JSON, and Prometheus metrics. */
export const profileCommands: CommandHandlers<'exportProfile' | 'getMetrics'> = {
  exportProfile: (cmd, ctx) => {
    const spans = ctx.state.engine.profiler.spans();
    const json = JSON.stringify(cmd.format === 'speedscope' ? toSpeedscope(spans, { name: ctx.state.title }) : toChromeTrace(spans));
    ctx.emit({ type: 'profileExport', format: cmd.format, json, ...(cmd.view ? { view: true, title: ctx.state.title } : {}) });
  },
  getMetrics: (_cmd, ctx) => {
    const { engine } = ctx.state;
    ctx.emit({ type: 'metrics', text: statsToPrometheus(engine.stats(), { turns: engine.turns() }) });
  },
};
