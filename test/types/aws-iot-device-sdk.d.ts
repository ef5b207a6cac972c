/** The parts of `aws-iot-device-sdk` (v1, plain JavaScript, no bundled types) that hako's tests use. */
declare module 'aws-iot-device-sdk' {
  import type { EventEmitter } from 'node:events';

  export interface DeviceOptions {
    keyPath?: string;
    certPath?: string;
    caPath?: string;
    clientId: string;
    host: string;
    port?: number;
    protocol?: 'mqtts' | 'wss';
    region?: string;
    keepalive?: number;
    baseReconnectTimeMs?: number;
    maximumReconnectTimeMs?: number;
    autoResubscribe?: boolean;
    accessKeyId?: string;
    secretKey?: string;
    websocketOptions?: { ca?: string };
  }

  export interface Device extends EventEmitter {
    subscribe(topic: string, options: { qos: 0 | 1 }, callback: (error: Error | null, granted: Array<{ topic: string; qos: number }>) => void): void;
    publish(topic: string, message: string, options: { qos: 0 | 1 }, callback?: (error?: Error) => void): void;
    end(force?: boolean, callback?: () => void): void;
  }

  export function device(options: DeviceOptions): Device;

  export interface ThingShadowRegisterOptions {
    ignoreDeltas?: boolean;
    persistentSubscribe?: boolean;
    discardStale?: boolean;
    enableVersioning?: boolean;
    qos?: 0 | 1;
  }

  /** Events: `connect`, `close`, `status` (thingName, 'accepted' | 'rejected', clientToken, stateObject),
   *  `delta` (thingName, stateObject), `foreignStateChange` (thingName, operation, stateObject), `timeout`. */
  export interface ThingShadow extends EventEmitter {
    register(thingName: string, options: ThingShadowRegisterOptions, callback?: (error?: Error, failedTopics?: unknown) => void): void;
    unregister(thingName: string): void;
    /** Returns the clientToken of the operation, or null when it could not be started. */
    update(thingName: string, stateObject: { state: Record<string, unknown> | null }): string | null;
    get(thingName: string, clientToken?: string): string | null;
    delete(thingName: string, clientToken?: string): string | null;
    end(force?: boolean, callback?: () => void): void;
  }

  export function thingShadow(options: DeviceOptions & { operationTimeout?: number }): ThingShadow;
}
