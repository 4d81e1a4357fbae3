import { describe, expect, it } from 'vitest';
import { ReplyTracker } from '../../src/demo/reply-tracker.js';
import { cString, wireMessage } from '../../src/demo/wire-message.js';

const ready = (status: string) => wireMessage('Z', Buffer.from(status));
const dataRow = (value: Buffer) => {
  const head = Buffer.alloc(6);
  head.writeInt16BE(1, 0);
  head.writeInt32BE(value.length, 2);
  return wireMessage('D', Buffer.concat([head, value]));
};
const commandComplete = (tag: string) => wireMessage('C', cString(tag));

function track(...chunks: Buffer[]): ReplyTracker {
  const tracker = new ReplyTracker();
  for (const chunk of chunks) tracker.feed(chunk);
  return tracker;
}

describe('ReplyTracker', () => {
  it('knows the status of a ReadyForQuery that ends the answer', () => {
    expect(track(commandComplete('SELECT 1'), ready('I')).ready).toBe('I');
    expect(track(commandComplete('BEGIN'), ready('T')).ready).toBe('T');
    expect(track(wireMessage('E', cString('x')), ready('E')).ready).toBe('E');
  });

  it('an answer without ReadyForQuery (after Flush) is unfinished', () => {
    expect(track(wireMessage('1'), wireMessage('2'), dataRow(Buffer.from('x'))).ready).toBeUndefined();
    expect(track(ready('I'), wireMessage('s')).ready).toBeUndefined();
  });

  it('is not fooled by a data row whose last bytes look like ReadyForQuery', () => {
    const lookalike = Buffer.concat([Buffer.from('value'), ready('I')]);
    expect(track(dataRow(lookalike)).ready).toBeUndefined();
  });

  it('follows messages split anywhere across chunks', () => {
    const stream = Buffer.concat([
      commandComplete('INSERT 0 1'),
      dataRow(Buffer.alloc(300, 0x5a)),
      ready('T'),
    ]);
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(track(...chunks).ready).toBe('T');
    }
  });

  it('asynchronous messages after ReadyForQuery do not reopen the answer', () => {
    const notice = wireMessage('N', Buffer.concat([Buffer.from('M'), cString('hello'), Buffer.from([0])]));
    const parameter = wireMessage('S', Buffer.concat([cString('TimeZone'), cString('UTC')]));
    expect(track(ready('I'), notice, parameter).ready).toBe('I');
  });

  it('starts idle, and knows nothing after the stream broke off', () => {
    const tracker = new ReplyTracker();
    expect(tracker.ready).toBe('I');
    tracker.feed(ready('I').subarray(0, 3));
    tracker.breakOff();
    expect(tracker.ready).toBeUndefined();
    tracker.feed(ready('I'));
    expect(tracker.ready).toBe('I');
  });
});
