// A long-lived processor for the pool's tests: it speaks processor/deck-service.ts's protocol
// over the IPC channel, and the name of each deck says what it does with it:
//   ok     - done at once (exit code 0)
//   crash  - the process exits with 3 in the middle of the deck
//   hang   - never answers (the pool's timeout must kill its whole group)
//   child  - starts a grandchild that sleeps in its group, then finishes the deck
//   ask    - asks the runner's model scheduler about one picture, reports the answer as a
//            progress message, then finishes the deck
//   ask-die - asks, then exits while its request is still out
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

const send = (message) => {
  if (process.connected) process.send(message);
};
const replies = new Map();
let nextAsk = 1;

function ask() {
  const id = nextAsk++;
  send({ type: 'model-ask', id, image: new Uint8Array(Buffer.from(`picture ${id} of ${process.pid}`)), mime: 'image/png', prompt: 'Describe it.', system: 'Be brief.' });
  return new Promise((resolve) => replies.set(id, resolve));
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  if (message.type !== 'deck') {
    replies.get(message.id)?.(message);
    replies.delete(message.id);
    return;
  }
  const mode = basename(message.input);
  const done = (exitCode) => send({ type: 'deck-done', exitCode });
  switch (mode) {
    case 'ok':
      send({ type: 'event', event: { type: 'progress', message: `pid ${process.pid}` } });
      done(0);
      return;
    case 'crash':
      process.exit(3);
      return;
    case 'hang':
      return;
    case 'child': {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
      send({ type: 'event', event: { type: 'progress', message: `child ${child.pid}` } });
      done(0);
      return;
    }
    case 'ask': {
      const answer = await ask();
      send({ type: 'event', event: { type: 'progress', message: answer.type === 'model-reply' ? answer.reply.text : `${answer.code}: ${answer.message}` } });
      done(0);
      return;
    }
    case 'ask-die':
      void ask();
      setTimeout(() => process.exit(4), 200);
      return;
    default:
      send({ type: 'event', event: { type: 'error', message: `unknown mode ${mode}` } });
      done(1);
  }
});
