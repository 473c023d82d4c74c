/**
 * Finding message templates: `{process.argv} sent {signal.name} to {target}`.
 * `{name}` quotes an event field (event-fields.ts) or one of `rule`, `title`,
 * `target`; `{{` and `}}` are literal braces. Parsed once when the policy is
 * checked or compiled; rendering only joins strings.
 */
import type { PolicyEvent } from '../model/model-event.js';
import type { FieldValue } from '../model/event-classes/event-class.js';
import { formatArgv } from '../model/event-classes/target-text.js';
import { FIELDS_BY_NAME, TEMPLATE_EXTRAS } from './event-fields.js';

export type TemplatePart = { readonly text: string } | { readonly field: string };

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  /** Problems: an unclosed `{`, an unknown field. */
  readonly errors: readonly { readonly field?: string; readonly message: string }[];
}

export const TEMPLATE_FIELDS: readonly string[] = [...TEMPLATE_EXTRAS, ...FIELDS_BY_NAME.keys()];

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: { field?: string; message: string }[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    const next = template[i + 1];
    if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      text += c;
      i += 2;
    } else if (c === '{') {
      const close = template.indexOf('}', i);
      if (close === -1) {
        errors.push({ message: `Unclosed \`{\` at character ${i + 1} of the message (write \`{{\` for a literal brace)` });
        text += template.slice(i);
        break;
      }
      const field = template.slice(i + 1, close).trim();
      if (!TEMPLATE_FIELDS.includes(field)) errors.push({ field, message: `Unknown field \`{${field}}\` in the message` });
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ field });
      i = close + 1;
    } else {
      text += c;
      i += 1;
    }
  }
  if (text !== '') parts.push({ text });
  return { parts, errors };
}

export interface TemplateContext {
  readonly rule: string;
  readonly title: string;
  readonly target: string | undefined;
}

function show(value: FieldValue): string {
  if (value === undefined) return '?';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return formatArgv(value);
}

export type RenderTemplate = (event: PolicyEvent, context: TemplateContext) => string;

/** Compiles a template whose fields were checked; an unknown field renders as `?`. */
export function compileTemplate(template: string): RenderTemplate {
  const pieces = parseTemplate(template).parts.map((part): RenderTemplate => {
    if ('text' in part) {
      const text = part.text;
      return () => text;
    }
    switch (part.field) {
      case 'rule':
        return (_e, c) => c.rule;
      case 'title':
        return (_e, c) => c.title;
      case 'target':
        return (_e, c) => c.target ?? '?';
      default: {
        const get = FIELDS_BY_NAME.get(part.field)?.get;
        return get === undefined ? () => '?' : (e) => show(get(e));
      }
    }
  });
  return (event, context) => {
    let out = '';
    for (const piece of pieces) out += piece(event, context);
    return out;
  };
}
