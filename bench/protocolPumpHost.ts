// A browser-mode engine host for the protocol bench: the real host (createHost over the IPC channel,
// as src/engine-host/index.ts starts it) that first records the bench's replays (protocolPump.ts) and
// then, on a {ch: 'bench', data: {type: 'pump', replay}} message from the bench, pumps one of them into
// its batcher. Bundled by protocolWs.ts.
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { createHost } from '../src/engine-host/host.js';
import { ipcChannels } from '../src/engine-host/transport.js';
import { pump, recordReplay, REPLAYS } from './protocolPump.js';

type BenchMessage = { ch: 'bench'; data: { type: 'pump'; replay: keyof typeof REPLAYS } };

// the channel first: it keeps the server's early messages (its hello) until the host listens
const { transport, parent, seal } = ipcChannels(process);
const tokenizer = await loadTokenizer();
// recorded before the host answers a hello, so the bench knows they are ready
const recorded = { warm: recordReplay(tokenizer, REPLAYS.warm), measured: recordReplay(tokenizer, REPLAYS.measured) };
const host = await createHost({ transport, parent, tokenizer });
seal();
process.on('message', (m: BenchMessage) => {
  if (m?.ch === 'bench' && m.data?.type === 'pump') void pump(host.batcher, recorded[m.data.replay]);
});
