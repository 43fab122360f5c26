import { describe, expect, it } from 'vitest';
import {
  cleanDescription,
  COPY_TONES,
  DESCRIPTION_SYSTEM_PROMPT,
  descriptionMessages,
  imagePrompt,
  MAX_DESCRIPTION_CHARS,
} from '../../src/domain/productCopy.js';
import { aiDescriptionBody, aiImageBody } from '../../src/domain/schemas.js';

describe('the description prompt', () => {
  it('asks for a short plain draft that does not repeat the name and invents nothing', () => {
    expect(DESCRIPTION_SYSTEM_PROMPT).toMatch(/2-3 sentences/);
    expect(DESCRIPTION_SYSTEM_PROMPT).toMatch(/plain text/);
    expect(DESCRIPTION_SYSTEM_PROMPT).toMatch(/Do not repeat the product name/);
    expect(DESCRIPTION_SYSTEM_PROMPT).toMatch(/Invent nothing/);
    for (const claim of ['specifications', 'certifications', 'prices', 'claims']) expect(DESCRIPTION_SYSTEM_PROMPT).toContain(claim);
  });

  it('gives the model the name and tags, and the tone in the system message', () => {
    const [system, user] = descriptionMessages({ name: 'Aurora Desk Lamp', tags: ['lighting', 'desk'], tone: 'playful' });
    expect(system).toEqual({ role: 'system', content: expect.stringContaining('playful') });
    expect(user).toEqual({ role: 'user', content: 'Product name: Aurora Desk Lamp\nTags: lighting, desk' });
    expect(descriptionMessages({ name: 'Lamp', tags: [] })[1]!.content).toContain('Tags: (none)');
    const systems = new Set(COPY_TONES.map((tone) => descriptionMessages({ name: 'Lamp', tags: [], tone })[0]!.content));
    expect(systems.size).toBe(COPY_TONES.length);
  });
});

describe('the image prompt', () => {
  it('describes the product alone, with no text in the picture', () => {
    const prompt = imagePrompt({ name: ' Aurora Desk Lamp ', description: 'A lamp with a warm glow.' });
    expect(prompt).toContain('Aurora Desk Lamp.');
    expect(prompt).toContain('A lamp with a warm glow.');
    expect(prompt).toMatch(/No text/);
    expect(imagePrompt({ name: 'Lamp', description: '' })).not.toContain('About the product');
  });

  it('stays within 1000 characters whatever the description', () => {
    expect(imagePrompt({ name: 'Lamp', description: 'x'.repeat(2000) }).length).toBeLessThanOrEqual(1000);
  });
});

describe('cleaning a draft', () => {
  it.each([
    ['  Soft light.  Easy to place. ', 'Soft light. Easy to place.'],
    ['"Soft light for late work."', 'Soft light for late work.'],
    ['“Soft light.”', 'Soft light.'],
    ['Description: Soft **warm** light.', 'Soft warm light.'],
    ['# Soft light\nfor reading.', 'Soft light for reading.'],
    ['<think>they want copy\nabout a lamp</think>Soft light.', 'Soft light.'],
    ['<think>never finished', ''],
    ['   ', ''],
  ])('%j -> %j', (raw, clean) => {
    expect(cleanDescription(raw)).toBe(clean);
  });

  it('keeps within the product limit, cut after a whole sentence', () => {
    const long = 'This lamp glows. '.repeat(200);
    const clean = cleanDescription(long);
    expect(clean.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(clean.endsWith('glows.')).toBe(true);
  });
});

describe('AI request bodies', () => {
  it('takes a name, up to 20 tags and an optional tone for a description', () => {
    expect(aiDescriptionBody.parse({ name: ' Lamp ', tags: ['a'] })).toEqual({ name: 'Lamp', tags: ['a'] });
    expect(aiDescriptionBody.parse({ name: 'Lamp' })).toEqual({ name: 'Lamp', tags: [] });
    expect(aiDescriptionBody.safeParse({ name: '', tags: [] }).success).toBe(false);
    expect(aiDescriptionBody.safeParse({ name: 'x'.repeat(121), tags: [] }).success).toBe(false);
    expect(aiDescriptionBody.safeParse({ name: 'Lamp', tags: Array(21).fill('t') }).success).toBe(false);
    expect(aiDescriptionBody.safeParse({ name: 'Lamp', tags: [], tone: 'angry' }).success).toBe(false);
    expect(aiDescriptionBody.safeParse({ name: 'Lamp', tags: [], extra: 1 }).success).toBe(false);
  });

  it('takes a name, a description up to 2000 characters and an optional product id for an image', () => {
    expect(aiImageBody.parse({ name: 'Lamp', description: 'Warm.', productId: 'abc_123' })).toEqual({ name: 'Lamp', description: 'Warm.', productId: 'abc_123' });
    expect(aiImageBody.safeParse({ name: 'Lamp', description: 'x'.repeat(2001) }).success).toBe(false);
    expect(aiImageBody.safeParse({ name: 'Lamp', description: '', productId: '../etc' }).success).toBe(false);
  });
});

describe('what the AI is asked', () => {
  it.each(COPY_TONES)('asks for the %s voice after the rules, friendly unless told', (tone) => {
    const [system] = descriptionMessages({ name: 'Lamp', tags: [], tone });
    expect(system!.content.startsWith(`${DESCRIPTION_SYSTEM_PROMPT}\n`)).toBe(true);
    expect(system!.content.slice(DESCRIPTION_SYSTEM_PROMPT.length + 1)).toMatch(/^(Write in|Be as brief)/);
  });

  it('asks for the friendly voice when no tone is given', () => {
    expect(descriptionMessages({ name: 'Lamp', tags: [] })[0]!.content).toBe(descriptionMessages({ name: 'Lamp', tags: [], tone: 'friendly' })[0]!.content);
  });

  const TAIL = 'The product alone, centred, on a plain light background, soft studio lighting. No text, no lettering, no logos, no watermarks, no people.';
  it.each([
    ['a name and a description, trimmed', { name: ' Lamp ', description: '  Warm light.  ' }, `A clean e-commerce product photo of: Lamp. About the product: Warm light. ${TAIL}`],
    ['a name alone', { name: 'Lamp', description: '   ' }, `A clean e-commerce product photo of: Lamp. ${TAIL}`],
  ])('draws from %s', (_what, input, prompt) => {
    expect(imagePrompt(input)).toBe(prompt);
  });

  it('sends a prompt of exactly 1000 characters whole, and cuts a longer one to 1000 with an ellipsis', () => {
    const fixed = imagePrompt({ name: 'Lamp', description: 'x' }).length - 1;
    const exactly = imagePrompt({ name: 'Lamp', description: 'x'.repeat(1000 - fixed) });
    expect(exactly).toHaveLength(1000);
    expect(exactly.endsWith('no people.')).toBe(true);
    const longer = imagePrompt({ name: 'Lamp', description: 'x'.repeat(1001 - fixed) });
    expect(longer).toHaveLength(1000);
    expect(longer.endsWith('…')).toBe(true);
  });
});

describe('cleaning a draft, edge by edge', () => {
  it.each([
    ['a heading of several #', '## Soft light.', 'Soft light.'],
    ['a heading without a space', '#Soft light.', 'Soft light.'],
    ['a # inside the text', 'Works with C# projects.', 'Works with C# projects.'],
    ['a label with a space before its colon', 'Description : Soft light.', 'Soft light.'],
    ['a label without a space after its colon', 'Product description:Soft light.', 'Soft light.'],
    ['the word description later on', 'Lights a desk. Description: bright.', 'Lights a desk. Description: bright.'],
    ['a quote that opens but does not close the text', '"Soft" light.', '"Soft" light.'],
    ['a quote that closes but does not open the text', "It is 'soft'", "It is 'soft'"],
    ['spaces inside the quotes', '" Soft light. "', 'Soft light.'],
  ])('%s', (_what, raw, clean) => {
    expect(cleanDescription(raw)).toBe(clean);
  });

  it.each([
    ['keeps a text of exactly the limit whole', 'Ab. '.repeat(499) + 'Abcd', 'Ab. '.repeat(499) + 'Abcd'],
    ['cuts a text without a sentence end at the limit', 'x'.repeat(2500), 'x'.repeat(2000)],
    ['cuts at the limit when the only sentence end is at its start', '. ' + 'x'.repeat(2500), '. ' + 'x'.repeat(1998)],
    ['leaves no space at the end of a cut', 'x'.repeat(1999) + ' yyyy', 'x'.repeat(1999)],
  ])('%s', (_what, raw, clean) => {
    expect(cleanDescription(raw)).toBe(clean);
  });
});
