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
