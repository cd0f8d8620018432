import { describe, expect, it } from 'vitest';
import { createToolCallCollector } from './tool-call-collector.js';

describe('createToolCallCollector', () => {
  it('assembles streamed fragments per choice and call index', () => {
    const collector = createToolCallCollector();
    collector.push(0, [
      { index: 0, id: 'call_a', type: 'function', function: { name: 'send_email', arguments: '' } },
    ]);
    collector.push(0, [{ index: 0, function: { arguments: '{"to":' } }]);
    collector.push(1, [{ index: 0, id: 'call_c', function: { name: 'now', arguments: '{}' } }]);
    collector.push(0, [
      { index: 1, id: 'call_b', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { index: 0, function: { arguments: '"a@b.c"}' } },
    ]);
    collector.push(0, 'not an array');
    expect(collector.choices()).toEqual([0, 1]);
    expect(collector.calls(0)).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'send_email', arguments: '{"to":"a@b.c"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(collector.calls(1)[0]?.function.name).toBe('now');
    expect(collector.calls(7)).toEqual([]);
  });
});
