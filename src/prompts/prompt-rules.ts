/**
 * The rules of the prompt shields: what `bulwark scan prompt` and `bulwark scan corpus` report, in
 * the finding model every other stage uses.
 */
import { defineRule, type Rule } from '../core/rules.js';

/** A user prompt the shield scores at or above its threshold. */
export const PROMPT_INJECTION = defineRule({
  id: 'BW-PROMPT-001',
  name: 'prompt-injection',
  title: 'Prompt injection or jailbreak attempt',
  defaultSeverity: 'high',
  controls: ['G4'],
  description:
    'The prompt shield scored this input at or above its threshold as a direct prompt injection or ' +
    'jailbreak: an attempt to override the system instructions, switch the model to another persona, ' +
    'extract the system prompt or secrets, fake conversation turns, or demand tools. The score combines ' +
    'multilingual heuristics and a learned classifier after the text was normalized and decoded.',
  remediation:
    'Do not send the input to the model. If it is a legitimate prompt (a false positive), raise the ' +
    'threshold for this context or record the exception; report misses and false positives with the ' +
    'input so the phrase lists and the classifier can learn from them.',
});

/** A document chunk carrying instructions aimed at the model that will read it. */
export const DOCUMENT_INJECTION = defineRule({
  id: 'BW-PROMPT-002',
  name: 'document-injection',
  title: 'Document carries instructions for the model (indirect prompt injection)',
  defaultSeverity: 'high',
  controls: ['P4', 'G4'],
  description:
    'A passage of a document bound for retrieval (RAG), a tool result or an e-mail reads as instructions ' +
    'to the model rather than content for the user: override phrases, persona switches, exfiltration ' +
    'links, tool demands or chat-template markers. Once indexed, every answer that retrieves the passage ' +
    'carries the attack to the model (indirect prompt injection).',
  remediation:
    'Keep the document out of the vector store until it is reviewed; remove the passage or the document. ' +
    'At run time, spotlight retrieved content (delimiting, datamarking or encoding) so the model can tell ' +
    'data from instructions.',
});

/** Hidden text (invisible to a human reader) that carries instructions. */
export const HIDDEN_INSTRUCTIONS = defineRule({
  id: 'BW-PROMPT-003',
  name: 'hidden-instructions',
  title: 'Hidden text in a document carries instructions',
  defaultSeverity: 'high',
  controls: ['P4', 'G4'],
  description:
    'Text that a person reading the rendered document does not see (CSS display:none, zero font size, ' +
    'text coloured like its background, off-screen positioning, comments, alt or title attributes, ' +
    'invisible Unicode) reads as instructions to a model. Models read the raw text, so hidden ' +
    'instructions are the classic carrier of indirect prompt injection: a reviewer sees nothing wrong.',
  remediation:
    'Reject the document or strip its hidden content before indexing (render to visible text first). ' +
    'Find out how the hidden text got into the source.',
});

/** Hidden text without instructions: worth a look, rarely an attack by itself. */
export const HIDDEN_CONTENT = defineRule({
  id: 'BW-PROMPT-004',
  name: 'hidden-content',
  title: 'Document contains hidden text',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'Text that a person reading the rendered document does not see, but a model reading its raw text ' +
    'does. Much hidden text is harmless (menus, templates, accessibility labels), so this is low ' +
    'severity unless the text reads as instructions (BW-PROMPT-003).',
  remediation:
    'Extract the visible text before indexing if the hidden parts are not meant for the model; ' +
    'otherwise accept the finding.',
});

/** Characters that smuggle text past a human reader (Unicode tag characters, bidi overrides). */
export const INVISIBLE_CHARACTERS = defineRule({
  id: 'BW-PROMPT-005',
  name: 'invisible-characters',
  title: 'Invisible characters hide text or reorder it',
  defaultSeverity: 'medium',
  controls: ['P4', 'G4'],
  description:
    'Unicode tag characters (which can spell a hidden message that many models still read), zero-width ' +
    'characters inside words, variation-selector runs or bidirectional controls that make the displayed ' +
    'order differ from the logical one. They have few legitimate uses in prose and are a known way to ' +
    'smuggle instructions past reviewers and filters.',
  remediation:
    'Remove the characters (Bulwark normalization shows the decoded text) and find out where they came from.',
});

/** Every rule of the prompt shields, for the scanners that report them. */
export const PROMPT_RULES: readonly Rule[] = [
  PROMPT_INJECTION,
  DOCUMENT_INJECTION,
  HIDDEN_INSTRUCTIONS,
  HIDDEN_CONTENT,
  INVISIBLE_CHARACTERS,
];
