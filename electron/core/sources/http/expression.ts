// JMESPath (https://jmespath.org, the maintained @jmespath-community implementation): how a metric of a
// user-defined JSON source picks its number out of the API's answer. Compiled once when the
// configuration is loaded, so a syntax error is a config error, not a failed poll.
import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import { oneLine } from '../common/one-line.js';

export type CompiledExpression = ReturnType<typeof compile>;

/** The compiled expression, or why it is not one (the parser's own words). */
export function compileExpression(text: string): { readonly compiled: CompiledExpression } | { readonly problem: string } {
  try {
    return { compiled: compile(text) };
  } catch (error) {
    return { problem: oneLine(error instanceof Error ? error.message : String(error)) };
  }
}

/** What an expression yielded, as a metric's value, or what it got instead. */
export type Reading = { readonly value: number } | { readonly got: string };

/** A value as JSON on one short line, for messages. */
function shown(value: unknown): string {
  return oneLine(JSON.stringify(value) ?? String(value), 80);
}

/**
 * The number an answer gives: a JSON number, a numeric string ("1234", as some APIs send counts) or a
 * boolean (1 or 0). Anything else — null (nothing matched), a list, an object, other text — is not one
 * number, and says what it was.
 */
export function readNumber(result: unknown): Reading {
  if (typeof result === 'number') return Number.isFinite(result) ? { value: result } : { got: String(result) };
  if (typeof result === 'boolean') return { value: result ? 1 : 0 };
  if (typeof result === 'string') {
    const number = result.trim() === '' ? Number.NaN : Number(result.trim());
    return Number.isFinite(number) ? { value: number } : { got: `the text ${shown(result)}` };
  }
  if (result === null || result === undefined) return { got: 'nothing (null: no field matched)' };
  if (Array.isArray(result)) return { got: `a list of ${result.length} (${shown(result)}) — end the expression with "| [0]" or sum(…) to pick one number` };
  return { got: `an object (${shown(result)}) — name the field that holds the number` };
}

/** Runs a compiled expression over a parsed answer; a runtime error (a function given the wrong type) is a reading too. */
export function evaluate(compiled: CompiledExpression, answer: unknown): Reading {
  try {
    return readNumber(TreeInterpreter.search(compiled, answer as JSONValue));
  } catch (error) {
    return { got: `an error: ${oneLine(error instanceof Error ? error.message : String(error))}` };
  }
}
