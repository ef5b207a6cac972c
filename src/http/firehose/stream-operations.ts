/**
 * @module http/firehose/stream-operations — Firehose's control plane: CreateDeliveryStream,
 * DescribeDeliveryStream, ListDeliveryStreams, DeleteDeliveryStream (DirectPut and KinesisStreamAsSource sources,
 * S3 destinations delivered to bucket folders, Redshift destinations loaded into hako's warehouse).
 */
import type { Delivery } from '../../streams/delivery/index.js';
import { DESTINATION_ID, checkDeliveryStreamName, type DeliveryStreamInfo, type KinesisStreamSource } from '../../streams/delivery/config.js';
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';
import type { JsonOperation } from '../json-targets.js';
import { anyDestinationOf, describeAnyDestination } from './redshift-destination.js';
import { boundedInteger, optionalText, requiredText } from './params.js';

const STREAM_TYPES = ['DirectPut', 'KinesisStreamAsSource', 'MSKAsSource', 'DatabaseAsSource'];
const epochSeconds = (ms: number): number => ms / 1000;

export function streamOperations(delivery: Delivery): Record<string, JsonOperation> {
  const { registry } = delivery;
  const describe = (stream: DeliveryStreamInfo): Record<string, unknown> => ({
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: delivery.arnOf(stream.name),
    DeliveryStreamStatus: 'ACTIVE',
    DeliveryStreamEncryptionConfiguration: { Status: 'DISABLED' },
    DeliveryStreamType: stream.type,
    ...(stream.source === undefined
      ? {}
      : { Source: { KinesisStreamSourceDescription: { KinesisStreamARN: stream.source.streamArn, RoleARN: stream.source.roleArn, DeliveryStartTimestamp: epochSeconds(stream.createdMs) } } }),
    VersionId: String(stream.version),
    CreateTimestamp: epochSeconds(stream.createdMs),
    Destinations: [{ DestinationId: DESTINATION_ID, ...describeAnyDestination(stream.destination) }],
    HasMoreDestinations: false,
  });
  const nameOf = (body: Readonly<Record<string, unknown>>): string => {
    const name = requiredText(body, 'DeliveryStreamName');
    checkDeliveryStreamName(name);
    return name;
  };

  return {
    CreateDeliveryStream: async (body) => {
      const name = nameOf(body);
      const type = optionalText(body, 'DeliveryStreamType') ?? 'DirectPut';
      if (!STREAM_TYPES.includes(type)) throw firehoseConstraint('deliveryStreamType', type, `Member must satisfy enum value set: [${STREAM_TYPES.join(', ')}]`);
      if (type !== 'DirectPut' && type !== 'KinesisStreamAsSource') throw firehoseError('InvalidArgumentException', `DeliveryStreamType ${type} is not supported by hako: use DirectPut or KinesisStreamAsSource.`);
      const source = kinesisSourceOf(body, type);
      if (body.DeliveryStreamEncryptionConfigurationInput !== undefined && body.DeliveryStreamEncryptionConfigurationInput !== null) throw firehoseError('InvalidArgumentException', 'Server-side encryption (DeliveryStreamEncryptionConfigurationInput) is not supported by hako yet.');
      await delivery.create(name, anyDestinationOf(body), source);
      return { DeliveryStreamARN: delivery.arnOf(name) };
    },
    DescribeDeliveryStream: (body) => {
      boundedInteger(body, 'Limit', 1, 10_000, 100);
      return { DeliveryStreamDescription: describe(registry.get(nameOf(body))) };
    },
    ListDeliveryStreams: (body) => {
      const limit = boundedInteger(body, 'Limit', 1, 10_000, 10);
      const type = optionalText(body, 'DeliveryStreamType');
      if (type !== undefined && !STREAM_TYPES.includes(type)) throw firehoseConstraint('deliveryStreamType', type, `Member must satisfy enum value set: [${STREAM_TYPES.join(', ')}]`);
      const after = optionalText(body, 'ExclusiveStartDeliveryStreamName');
      const all = registry.list().filter((stream) => (type === undefined || stream.type === type) && (after === undefined || stream.name > after));
      return { DeliveryStreamNames: all.slice(0, limit).map((stream) => stream.name), HasMoreDeliveryStreams: all.length > limit };
    },
    DeleteDeliveryStream: async (body) => {
      await delivery.delete(nameOf(body));
      return {};
    },
  };
}

/** `KinesisStreamSourceConfiguration`: required with `KinesisStreamAsSource`, refused without it. */
function kinesisSourceOf(body: Readonly<Record<string, unknown>>, type: string): KinesisStreamSource | undefined {
  const configuration = body.KinesisStreamSourceConfiguration;
  if (type === 'DirectPut') {
    if (configuration !== undefined && configuration !== null) throw firehoseError('InvalidArgumentException', 'KinesisStreamSourceConfiguration is only for DeliveryStreamType KinesisStreamAsSource.');
    return undefined;
  }
  if (typeof configuration !== 'object' || configuration === null) throw firehoseError('InvalidArgumentException', 'KinesisStreamSourceConfiguration is required for DeliveryStreamType KinesisStreamAsSource.');
  const fields = configuration as Record<string, unknown>;
  return { streamArn: requiredText(fields, 'KinesisStreamARN'), roleArn: requiredText(fields, 'RoleARN') };
}
