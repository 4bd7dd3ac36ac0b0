import { assertNever } from '../shared/protocol.js';
import type { ParentMessage } from '../shared/hostControl.js';
import type { HostContext } from './context.js';
import type { ParentChannel } from './transport.js';

/** A message from the trusted parent: a file granted by a native dialog, a secret, or shutdown. */
export function onParentMessage(ctx: HostContext, parent: ParentChannel, message: ParentMessage): void {
  switch (message.type) {
    case 'grant':
      ctx.grants.grant(message.handle, message.path, message.mode);
      parent.send({ type: 'granted', handle: message.handle });
      return;
    case 'secret':
      ctx.backend.setSecret(message.name, message.value);
      return;
    case 'shutdown':
      return; // the entry point disposes the host and exits
    default:
      assertNever(message, 'parent message');
  }
}
