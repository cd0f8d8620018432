import { describe, expect, it } from 'vitest';
import { GatewayError } from '../openai-errors.js';
import { checkToolCalls, compileTools, type DeclaredTool, type ToolCall } from './check-tool-calls.js';

const TOOLS: DeclaredTool[] = [
  {
    type: 'function',
    function: {
      name: 'send_email',
      parameters: {
        type: 'object',
        properties: { to: { type: 'string', format: 'email' }, body: { type: 'string' } },
        required: ['to', 'body'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  { type: 'function', function: { name: 'now' } },
];

const call = (name: string, args: string, id = `call_${name}`): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

const POLICY = { sensitive: ['send_*'], validateArguments: 'block' } as const;

describe('checkToolCalls', () => {
  const tools = compileTools(TOOLS);

  it('passes valid calls and holds the sensitive one', () => {
    const result = checkToolCalls(
      [
        call('get_weather', '{"city":"Paris"}'),
        call('send_email', '{"to":"a@b.c","body":"hi"}'),
        call('now', '{}'),
      ],
      tools,
      POLICY,
    );
    expect(result.blocked).toBe(false);
    expect(result.invalid).toEqual([]);
    expect(result.pending).toEqual([
      { toolCallId: 'call_send_email', name: 'send_email', arguments: '{"to":"a@b.c","body":"hi"}' },
    ]);
    expect(result.verdicts).toEqual([
      { guard: 'tools', action: 'hold', message: "the sensitive tool 'send_email' awaits approval" },
    ]);
  });

  it('blocks arguments that break the schema, naming where without repeating values', () => {
    const result = checkToolCalls([call('get_weather', '{"city":42}')], tools, POLICY);
    expect(result.blocked).toBe(true);
    expect(result.invalid).toEqual([
      expect.objectContaining({
        problem: 'arguments-invalid',
        name: 'get_weather',
        toolCallId: 'call_get_weather',
      }),
    ]);
    expect(result.invalid[0]?.message).toContain('/city');
    expect(result.verdicts[0]?.action).toBe('block');
  });

  it('checks formats such as email', () => {
    const result = checkToolCalls([call('send_email', '{"to":"not-an-address","body":"x"}')], tools, POLICY);
    expect(result.invalid[0]?.message).toContain('/to');
    expect(result.blocked).toBe(true);
  });

  it('blocks arguments that are not a JSON object', () => {
    for (const args of ['{"city":', '"Paris"', '[1]', 'null']) {
      const result = checkToolCalls([call('get_weather', args)], tools, POLICY);
      expect(result.invalid[0]?.problem).toBe('arguments-not-json');
      expect(result.blocked).toBe(true);
    }
  });

  it('blocks a call of an undeclared tool even when validation is off', () => {
    for (const validateArguments of ['block', 'flag', 'off'] as const) {
      const result = checkToolCalls([call('delete_repo', '{}')], tools, { ...POLICY, validateArguments });
      expect(result.blocked).toBe(true);
      expect(result.invalid[0]?.problem).toBe('unknown-tool');
    }
  });

  it('in flag mode records the problem and still holds a sensitive call; off skips the check', () => {
    const bad = call('send_email', '{"to":"a@b.c"}');
    const flagged = checkToolCalls([bad], tools, { ...POLICY, validateArguments: 'flag' });
    expect(flagged.blocked).toBe(false);
    expect(flagged.verdicts.map((v) => v.action)).toEqual(['flag', 'hold']);
    expect(flagged.pending).toHaveLength(1);
    const off = checkToolCalls([bad], tools, { ...POLICY, validateArguments: 'off' });
    expect(off.invalid).toEqual([]);
    expect(off.pending).toHaveLength(1);
  });

  it('holds nothing when another call of the answer blocks', () => {
    const result = checkToolCalls(
      [call('send_email', '{"to":"a@b.c","body":"x"}'), call('get_weather', '{}')],
      tools,
      POLICY,
    );
    expect(result.blocked).toBe(true);
    expect(result.pending).toEqual([]);
  });

  it('matches sensitive names exactly, by prefix* or with *', () => {
    const weather = [call('get_weather', '{"city":"Oslo"}')];
    expect(checkToolCalls(weather, tools, { ...POLICY, sensitive: ['get_weather'] }).pending).toHaveLength(1);
    expect(checkToolCalls(weather, tools, { ...POLICY, sensitive: ['get'] }).pending).toHaveLength(0);
    expect(checkToolCalls(weather, tools, { ...POLICY, sensitive: ['*'] }).pending).toHaveLength(1);
  });

  it('refuses a request whose tool schema does not compile with a 400 naming the tool', () => {
    let thrown: unknown;
    try {
      compileTools([{ type: 'function', function: { name: 'x', parameters: { type: 'no-such-type' } } }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((thrown as GatewayError).message).toContain("'x'");
    expect(compileTools(undefined).validators.size).toBe(0);
  });
});
