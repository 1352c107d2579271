// Prometheus remote write 1.0 on the wire: a prompb.WriteRequest (protobuf) compressed with Snappy's
// block format. The message types are declared as protobufjs JSON (the subset of prompb/types.proto and
// remote.proto that 1.0 senders fill in), so no .proto parser is loaded at run time.
import protobuf from 'protobufjs/light.js';
import snappy from 'snappyjs';

/** Headers the remote-write 1.0 specification requires of a sender. */
export const REMOTE_WRITE_HEADERS = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
} as const;

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        // timestamp: milliseconds since the epoch.
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});

const writeRequestType = root.lookupType('prometheus.WriteRequest');

export interface WriteLabel {
  readonly name: string;
  readonly value: string;
}

export interface WriteSample {
  readonly value: number;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

export interface WriteSeries {
  /** Sorted by name (byte order), as the specification requires: `__name__` comes first unless a name has capitals. */
  readonly labels: readonly WriteLabel[];
  /** Oldest first. */
  readonly samples: readonly WriteSample[];
}

/**
 * A series' labels as remote write wants them: sorted by name, none empty (Prometheus drops empty labels).
 * `identity` labels (job, instance…) are added unless the series has its own of that name.
 */
export function seriesLabels(metric: string, own: Readonly<Record<string, string>>, identity: Readonly<Record<string, string>>): WriteLabel[] {
  const merged: Record<string, string> = { ...identity };
  for (const [name, value] of Object.entries(own)) if (value !== '') merged[name] = value;
  merged.__name__ = metric;
  // Byte order, not localeCompare: receivers compare label names as bytes.
  const names = Object.keys(merged).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => ({ name, value: merged[name]! }));
}

/** The HTTP body of one push: the encoded WriteRequest, Snappy-compressed. */
export function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array<ArrayBuffer> {
  const message = writeRequestType.fromObject({ timeseries: series });
  // protobufjs writes into a fresh (never shared) buffer, and Snappy's output is of the input's kind.
  return snappy.compress(writeRequestType.encode(message).finish()) as Uint8Array<ArrayBuffer>;
}

/** The series a push body holds (what a receiver reads); throws on a body that is not one. */
export function decodeWriteRequest(body: Uint8Array): WriteSeries[] {
  const message = writeRequestType.decode(snappy.uncompress(body));
  const object = writeRequestType.toObject(message, { longs: Number, defaults: true }) as { timeseries: WriteSeries[] };
  return object.timeseries;
}
