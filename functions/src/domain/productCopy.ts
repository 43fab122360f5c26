/**
 * What the store asks an AI model for, and how it tidies the answer: product copy and product
 * pictures. Pure text in, text out; the content writer adapters send these.
 */

export const COPY_TONES = ['friendly', 'technical', 'playful', 'concise'] as const;
export type CopyTone = (typeof COPY_TONES)[number];

export interface DescribeInput {
  name: string;
  tags: readonly string[];
  tone?: CopyTone | undefined;
}

export interface DrawInput {
  name: string;
  description: string;
}

/** Longest description a product may hold (productDraftBody), so a draft always fits. */
export const MAX_DESCRIPTION_CHARS = 2000;

const TONE_HINTS: Record<CopyTone, string> = {
  friendly: 'Write in a warm, friendly voice.',
  technical: 'Write in a precise, technical voice, but only about what the name and tags imply.',
  playful: 'Write in a light, playful voice.',
  concise: 'Be as brief as possible: two short sentences.',
};

export const DESCRIPTION_SYSTEM_PROMPT = [
  'You write product descriptions for an online electronics and home store.',
  'Write 2-3 sentences of plain text: no markdown, no bullet points, no headings, no quotes around the answer.',
  'Do not repeat the product name; the page already shows it as the title.',
  'Invent nothing: no specifications, measurements, materials, certifications, awards, prices, discounts, warranties or claims that the name and tags do not imply.',
  'If the name and tags say little, stay general rather than making details up.',
  'Answer with the description only.',
].join('\n');

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** The chat messages for one description draft. */
export function descriptionMessages(input: DescribeInput): ChatMessage[] {
  const tags = input.tags.length > 0 ? input.tags.join(', ') : '(none)';
  const tone = TONE_HINTS[input.tone ?? 'friendly'];
  return [
    { role: 'system', content: `${DESCRIPTION_SYSTEM_PROMPT}\n${tone}` },
    { role: 'user', content: `Product name: ${input.name}\nTags: ${tags}` },
  ];
}

/** Longest prompt every image model accepts (DALL-E 2 takes 1000 characters, the others more). */
const MAX_IMAGE_PROMPT_CHARS = 1000;

/** The prompt for one product picture: the product alone, no text a model would misspell. */
export function imagePrompt(input: DrawInput): string {
  const description = input.description.trim();
  const prompt = [
    `A clean e-commerce product photo of: ${input.name.trim()}.`,
    description ? `About the product: ${description}` : '',
    'The product alone, centred, on a plain light background, soft studio lighting.',
    'No text, no lettering, no logos, no watermarks, no people.',
  ]
    .filter(Boolean)
    .join(' ');
  return prompt.length <= MAX_IMAGE_PROMPT_CHARS ? prompt : `${prompt.slice(0, MAX_IMAGE_PROMPT_CHARS - 1)}…`;
}

/**
 * Tidies a model's answer into description text: drops a reasoning model's <think> block,
 * wrapping quotes and markdown emphasis, collapses whitespace, and keeps it within the
 * product's limit (cut after a whole sentence when one fits). Empty when nothing usable is left.
 */
export function cleanDescription(raw: string): string {
  let text = raw.replace(/<think>[\s\S]*?(<\/think>|$)/gi, ' ');
  text = text.replace(/\*\*|^#+\s*/gm, '').replace(/\s+/g, ' ').trim();
  text = text.replace(/^(description|product description)\s*:\s*/i, '');
  const quoted = /^(["'“‘])([\s\S]*)(["'”’])$/.exec(text);
  if (quoted) text = quoted[2]!.trim();
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  const cut = text.slice(0, MAX_DESCRIPTION_CHARS);
  const lastStop = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return lastStop > 0 ? cut.slice(0, lastStop + 1) : cut.trimEnd();
}
