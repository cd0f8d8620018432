/**
 * The input side of a route's guards (controls G4, G5, G8): the prompt shield on what users type,
 * the shield in document context on tool results (indirect injection), and spotlighting of tool
 * results so the model can tell data from instructions. System and developer messages are the
 * operator's and are not scanned.
 */
import { spotlight, type SpotlightMode } from '../prompts/spotlight/spotlight.js';
import type { PromptShield, ShieldVerdict } from '../prompts/shield.js';
import type { ShieldCategory, ShieldContext } from '../prompts/types.js';
import type { GuardMode } from './guards/guard-types.js';

/** A chat message as the OpenAI API has it (only what the guards read; other fields pass through). */
export interface ChatMessage {
  readonly role: string;
  readonly content?: string | readonly ContentPart[] | null;
  readonly [field: string]: unknown;
}

/** A part of multi-part content; only `text` parts are read. */
export interface ContentPart {
  readonly type: string;
  readonly text?: string;
  readonly [field: string]: unknown;
}

/** What one guard decided about one message. */
export interface InputVerdict {
  readonly guard: string;
  readonly action: 'block' | 'redact' | 'flag';
  readonly message: string;
  readonly score?: number;
  readonly categories?: readonly ShieldCategory[];
  /** Index of the message in the request. */
  readonly index?: number;
}

/** Settings of the input guards (the `input` block of a route, parsed). */
export interface InputGuardSettings {
  readonly shield: GuardMode;
  readonly documents: GuardMode;
  readonly spotlight: 'off' | SpotlightMode;
}

/** The request after the input guards, with what they found. */
export interface InputGuardResult {
  readonly messages: ChatMessage[];
  readonly verdicts: InputVerdict[];
  /** Set when a guard in block mode fired: the request must not reach the model. */
  readonly blocked?: InputVerdict;
}

/** Roles whose text the shield reads, and in which context. */
const CONTEXT_OF_ROLE: Readonly<Record<string, ShieldContext>> = {
  user: 'user',
  tool: 'document',
  function: 'document',
};

/** The text of a message's content (text parts joined by newlines). */
export function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts = content as readonly ContentPart[];
  return parts
    .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('\n');
}

/**
 * Runs the shield over user messages and tool results, then spotlights tool results. The shield's
 * asynchronous path is used so that a model tier, when configured, scores too; without one it
 * answers from the fast tier alone.
 */
export async function applyInputGuards(
  shield: PromptShield,
  settings: InputGuardSettings,
  messages: readonly ChatMessage[],
): Promise<InputGuardResult> {
  const verdicts: InputVerdict[] = [];
  let blocked: InputVerdict | undefined;
  for (const [index, message] of messages.entries()) {
    const context = CONTEXT_OF_ROLE[message.role];
    if (context === undefined) continue;
    const guardMode = context === 'user' ? settings.shield : settings.documents;
    if (guardMode === 'off') continue;
    const text = messageText(message.content);
    if (text === '') continue;
    const verdict = await shield.scanAsync(text, context);
    if (!verdict.flagged) continue;
    const found = shieldVerdict(verdict, context, guardMode === 'block' ? 'block' : 'flag', index);
    verdicts.push(found);
    if (found.action === 'block') blocked ??= found;
  }
  if (blocked !== undefined) return { messages: [...messages], verdicts, blocked };
  return { messages: spotlightToolResults(messages, settings.spotlight), verdicts };
}

function shieldVerdict(
  verdict: ShieldVerdict,
  context: ShieldContext,
  action: 'block' | 'flag',
  index: number,
): InputVerdict {
  const what = context === 'user' ? 'prompt injection or jailbreak' : 'instructions in a tool result';
  const categories = verdict.categories.length > 0 ? ` (${verdict.categories.join(', ')})` : '';
  return {
    guard: context === 'user' ? 'prompt-shield' : 'document-shield',
    action,
    message: `${what}${categories}, score ${verdict.score.toFixed(2)}`,
    score: Math.round(verdict.score * 1e4) / 1e4,
    categories: verdict.categories,
    index,
  };
}

/**
 * Spotlights every tool result (one mode per request) and adds the instruction that goes with it to
 * the system prompt: appended to the first system or developer message, or as a new first message.
 */
function spotlightToolResults(
  messages: readonly ChatMessage[],
  mode: InputGuardSettings['spotlight'],
): ChatMessage[] {
  const tools = messages.flatMap((m, i) => (CONTEXT_OF_ROLE[m.role] === 'document' ? [i] : []));
  if (mode === 'off' || tools.length === 0) return [...messages];
  const texts = tools.map((i) => messageText(messages[i]?.content));
  const result = spotlight(texts, { mode });
  const out = messages.map((m, i) => {
    const at = tools.indexOf(i);
    return at === -1 ? m : { ...m, content: result.items[at] ?? '' };
  });
  const system = out.findIndex((m) => m.role === 'system' || m.role === 'developer');
  if (system === -1) return [{ role: 'system', content: result.instruction }, ...out];
  const first = out[system] as ChatMessage;
  out[system] = { ...first, content: `${messageText(first.content)}\n\n${result.instruction}` };
  return out;
}
