import { fork, type ChildProcess } from 'node:child_process';
import type { HostProcess } from '../../engine-host/supervisor.js';

/** An engine host in a Node child process, talking structured clone over IPC. */
export class HostChild implements HostProcess {
  readonly child: ChildProcess;

  constructor(entry: string, env: Record<string, string | undefined>) {
    this.child = fork(entry, [], {
      serialization: 'advanced',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  onExit(listener: (code: number | null, signal?: string) => void): void {
    this.child.on('exit', (code, signal) => listener(code, signal ?? undefined));
  }

  send(message: unknown): void {
    if (this.child.connected) this.child.send(message as never);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
