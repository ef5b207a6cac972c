/**
 * @module store/message-columns — how a `Message` maps onto SQL columns, shared by the SQLite stores.
 *
 * Columns: topic TEXT, payload BLOB, qos INTEGER, retain INTEGER (0/1), properties TEXT (JSON or NULL),
 * expires_at INTEGER (epoch ms or NULL), origin TEXT (or NULL). Properties go to JSON because they are
 * optional and sparse and nothing queries inside them; `correlationData` is binary, so it is written as
 * base64 and turned back into a Buffer on the way out.
 */
import type { Message, MessageProperties, QoS } from '../mqtt/message.js';

/** Column list in the order `toMessageColumns` returns values, for INSERT and SELECT statements. */
export const MESSAGE_COLUMNS = 'topic, payload, qos, retain, properties, expires_at, origin';

export type MessageColumnValues = [
  topic: string,
  payload: Buffer,
  qos: number,
  retain: number,
  properties: string | null,
  expiresAt: number | null,
  origin: string | null,
];

export interface MessageRow {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: number;
  properties: string | null;
  expires_at: number | null;
  origin: string | null;
}

export function toMessageColumns(message: Message): MessageColumnValues {
  return [
    message.topic,
    message.payload,
    message.qos,
    message.retain ? 1 : 0,
    message.properties === undefined ? null : encodeProperties(message.properties),
    message.expiresAt ?? null,
    message.origin ?? null,
  ];
}

export function fromMessageRow(row: MessageRow): Message {
  return {
    topic: row.topic,
    payload: row.payload,
    // The table's CHECK constraints keep qos to 0..2 and retain to 0/1.
    qos: row.qos as QoS,
    retain: row.retain === 1,
    properties: row.properties === null ? undefined : decodeProperties(row.properties),
    expiresAt: row.expires_at ?? undefined,
    origin: row.origin ?? undefined,
  };
}

export function encodeProperties(properties: MessageProperties): string {
  const { correlationData, ...rest } = properties;
  return JSON.stringify(correlationData === undefined ? rest : { ...rest, correlationData: correlationData.toString('base64') });
}

export function decodeProperties(json: string): MessageProperties {
  const parsed = JSON.parse(json) as Omit<MessageProperties, 'correlationData'> & { correlationData?: string };
  const { correlationData, ...rest } = parsed;
  return correlationData === undefined ? rest : { ...rest, correlationData: Buffer.from(correlationData, 'base64') };
}
