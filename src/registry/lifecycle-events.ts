/**
 * @module registry/lifecycle-events — AWS IoT's lifecycle events (specs §6.2): presence on
 * `$aws/events/presence/connected|disconnected/<clientId>` and subscriptions on
 * `$aws/events/subscriptions/subscribed|unsubscribed/<clientId>`, with AWS's fields, millisecond
 * timestamps and disconnect reasons. Attached to the broker's hooks like any internal service.
 */
import type { Clock } from '../core/clock.js';
import type { CloseCause, Hooks } from '../core/hooks.js';
import { ReasonCode } from '../mqtt/codec/reason-codes.js';
import type { Message } from '../mqtt/message.js';
import { ipOf } from '../iam/variables.js';

/** AWS's `disconnectReason` for how a connection ended (the `DisconnectReasonValue` enum). */
export function disconnectReason(reasonCode: number, cause: CloseCause): string {
  if (cause === 'client') return 'CLIENT_INITIATED_DISCONNECT';
  if (cause === 'connection-lost') return 'CONNECTION_LOST';
  switch (reasonCode) {
    case ReasonCode.SessionTakenOver:
      return 'DUPLICATE_CLIENTID';
    case ReasonCode.KeepAliveTimeout:
    case ReasonCode.MaximumConnectTime:
      return 'MQTT_KEEP_ALIVE_TIMEOUT';
    case ReasonCode.ServerShuttingDown:
      return 'SERVER_INITIATED_DISCONNECT';
    case ReasonCode.AdministrativeAction:
      return 'API_INITIATED_DISCONNECT';
    case ReasonCode.NotAuthorized:
      return 'AUTH_ERROR';
    case ReasonCode.QuotaExceeded:
    case ReasonCode.MessageRateTooHigh:
      return 'THROTTLED';
    case ReasonCode.UnspecifiedError:
    case ReasonCode.ImplementationSpecificError:
    case ReasonCode.ServerBusy:
    case ReasonCode.ServerUnavailable:
      return 'SERVER_ERROR';
    case ReasonCode.MalformedPacket:
    case ReasonCode.ProtocolError:
    case ReasonCode.PacketTooLarge:
    case ReasonCode.ReceiveMaximumExceeded:
    case ReasonCode.TopicAliasInvalid:
    case ReasonCode.TopicNameInvalid:
    case ReasonCode.PayloadFormatInvalid:
    case ReasonCode.PacketIdentifierInUse:
      return 'CLIENT_ERROR';
    default:
      return 'UNKNOWN';
  }
}

/** Client ids with `#` or `+` get no lifecycle events: they could not be subscribed to one by one. */
function hasEvents(clientId: string): boolean {
  return !clientId.includes('#') && !clientId.includes('+');
}

/**
 * Publishes lifecycle events through `publish` (the broker's). Returns a function that detaches it.
 * `versionNumber` grows with each connection of a client id and is shared by a connect and its disconnect.
 */
export function attachLifecycleEvents(hooks: Hooks, publish: (message: Message) => void, clock: Clock): () => void {
  const versions = new Map<string, number>();
  const send = (topic: string, event: Record<string, unknown>): void => {
    // QoS 1, so a persistent subscriber (a presence tracker) does not miss one while it is offline.
    publish({ topic, payload: Buffer.from(JSON.stringify(event)), qos: 1, retain: false, properties: undefined, expiresAt: undefined, origin: undefined });
  };
  const detach = [
    hooks.on('client.connected', ({ clientId, connectionId, principal, remoteAddress }) => {
      if (!hasEvents(clientId)) return;
      const versionNumber = (versions.get(clientId) ?? -1) + 1;
      versions.set(clientId, versionNumber);
      send(`$aws/events/presence/connected/${clientId}`, {
        clientId, timestamp: clock.now(), eventType: 'connected', sessionIdentifier: connectionId, principalIdentifier: principal, ipAddress: ipOf(remoteAddress), versionNumber,
      });
    }),
    hooks.on('client.disconnected', ({ clientId, connectionId, principal, reasonCode, cause }) => {
      if (!hasEvents(clientId)) return;
      send(`$aws/events/presence/disconnected/${clientId}`, {
        clientId, timestamp: clock.now(), eventType: 'disconnected', sessionIdentifier: connectionId, principalIdentifier: principal,
        clientInitiatedDisconnect: cause === 'client', disconnectReason: disconnectReason(reasonCode, cause), versionNumber: versions.get(clientId) ?? 0,
      });
    }),
    hooks.on('client.subscribed', ({ clientId, connectionId, principal, filters }) => {
      if (!hasEvents(clientId)) return;
      send(`$aws/events/subscriptions/subscribed/${clientId}`, { clientId, timestamp: clock.now(), eventType: 'subscribed', sessionIdentifier: connectionId, principalIdentifier: principal, topics: filters });
    }),
    hooks.on('client.unsubscribed', ({ clientId, connectionId, principal, filters }) => {
      if (!hasEvents(clientId)) return;
      send(`$aws/events/subscriptions/unsubscribed/${clientId}`, { clientId, timestamp: clock.now(), eventType: 'unsubscribed', sessionIdentifier: connectionId, principalIdentifier: principal, topics: filters });
    }),
  ];
  return () => detach.forEach((off) => off());
}
