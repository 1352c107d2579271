// JSON text of a big API answer in pieces: JSON.stringify of a 2 MB range answer holds the event loop
// for tens of milliseconds in one go; written piece by piece, /metrics gets a turn in between.
// The pieces join to exactly JSON.stringify(value) for plain data (what the API returns).

/** Arrays and objects down to this depth are split into their items; deeper ones are stringified whole. */
const SPLIT_DEPTH = 2;

function* jsonParts(value: unknown, depth: number): Generator<string> {
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) yield ',';
      const item: unknown = value[index];
      // As JSON.stringify: what has no JSON form is null inside an array.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* jsonParts(item, depth + 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    // As JSON.stringify: such properties are left out of an object.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonParts(item, depth + 1);
  }
  yield '}';
}

/** JSON.stringify(value), in pieces of about `pieceChars` characters or more. */
export function* jsonPieces(value: unknown, pieceChars = 65_536): Generator<string> {
  let piece = '';
  for (const part of jsonParts(value, 0)) {
    piece += part;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}
