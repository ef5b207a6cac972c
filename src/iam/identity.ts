/**
 * @module iam/identity — identity and access, assembled: hako's CA, registered certificates, policies,
 * access keys and the MQTT authorizer, over one record store.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import type { IamSettings } from '../core/config.js';
import { AwsError } from '../core/aws-error.js';
import { HakoError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PeerVerdict } from '../mqtt/transport/tls.js';
import type { Registry } from '../registry/registry.js';
import type { RecordStore } from '../store/records.js';
import { arnsFor, type Arns } from './arns.js';
import { MqttAuthorizer } from './authorizer.js';
import { Certificates } from './certificates.js';
import { AccessKeys } from './keys.js';
import { Policies } from './policies.js';
import { loadOrCreateAuthority } from './pki/index.js';
import { compilePolicy, parsePolicyDocument, type CompiledPolicy } from './policy/index.js';
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { UpgradeCheck } from '../mqtt/transport/websocket.js';
import { sessionTokenOf, signedRequestFromNode, verifySigV4 } from './sigv4/index.js';

export interface IdentityOptions {
  dataDir: string;
  region: string;
  account: string;
  settings: IamSettings;
  /** Whether clients without a certificate may connect at all (only while hako listens on loopback). */
  anonymousAllowed: boolean;
  records: RecordStore;
  registry: Registry;
  changes: ChangeFeed;
  clock: Clock;
  logger: Logger;
}

export interface Identity {
  readonly arns: Arns;
  readonly certificates: Certificates;
  readonly policies: Policies;
  readonly accessKeys: AccessKeys;
  readonly authorizer: MqttAuthorizer;
  /** hako's server certificate and key, and its root CA (which also signs the device certificates it issues). */
  readonly tls: { certificatePem: string; privateKeyPem: string; caPem: string };
  /** Set on first start: where the root access key was written. */
  readonly createdCredentialsFile: string | undefined;
  /** The TLS listener's check of a client certificate. */
  verifyPeer(presented: X509Certificate | undefined): PeerVerdict;
  /** MQTT over WebSocket: a SigV4-presigned `/mqtt` URL (AWS IoT's, service `iotdevicegateway`) names an
   *  access key; an unsigned one is anonymous, which CONNECT then accepts on loopback only. */
  checkWebSocketUpgrade(request: IncomingMessage): Promise<UpgradeCheck>;
}

export async function startIdentity(options: IdentityOptions): Promise<Identity> {
  const { records, registry, changes, clock, logger } = options;
  const arns = arnsFor(options.region, options.account);
  const anonymousPolicy = compileAnonymousPolicy(options.settings.anonymousPolicy);
  const { ca, server } = await loadOrCreateAuthority(options.dataDir, { serverNames: options.settings.serverNames });
  let policies: Policies | undefined;
  const certificates = new Certificates({
    records,
    authority: ca,
    clock,
    changes,
    certificateArn: arns.cert,
    caCertificateArn: arns.caCert,
    attachmentsOf: (arn) => ({ policies: policies?.attachedTo(arn) ?? [], things: registry.thingsOf(arn) }),
    detachPolicies: async (arn) => policies?.detachAll(arn),
    onStoreError: (error, what) => logger.error({ err: error }, `store write failed: ${what}`),
  });
  policies = new Policies({
    records,
    clock,
    changes,
    checkTarget: (target) => {
      const certificateId = arns.certificateIdOf(target);
      if (certificateId === undefined) throw new AwsError('InvalidRequestException', `target ${target} is not a certificate ARN of this account (arn:aws:iot:${options.region}:${options.account}:cert/<certificateId>)`);
      if (certificates.get(certificateId) === undefined) throw new AwsError('ResourceNotFoundException', `The certificate ${certificateId} does not exist`);
    },
  });
  const accessKeys = new AccessKeys(records, clock);
  await certificates.start();
  await policies.start();
  const { createdCredentialsFile } = await accessKeys.start(options.dataDir);
  const authorizer = new MqttAuthorizer({
    certificates,
    policies,
    registry,
    changes,
    arns,
    logger: logger.child({ component: 'iam' }),
    anonymous: { allowed: options.anonymousAllowed, policy: anonymousPolicy },
  });
  return {
    arns,
    certificates,
    policies,
    accessKeys,
    authorizer,
    tls: { certificatePem: server.certificatePem, privateKeyPem: server.privateKeyPem, caPem: ca.certificatePem },
    createdCredentialsFile,
    verifyPeer: (presented) => {
      const check = certificates.verifyPeer(presented);
      return check.ok ? { ok: true, peer: { kind: 'certificate', id: check.peer.certificate.certificateId } } : check;
    },
    checkWebSocketUpgrade: async (request) => {
      const signed = signedRequestFromNode(request, undefined);
      if (!/(?:^|&)X-Amz-Signature=/i.test(signed.rawQuery)) return { ok: true, peer: undefined };
      const verification = await verifySigV4(signed, (id) => accessKeys.secretOf(id), new Date(clock.now()), { maxSkewMs: options.settings.maxClockSkew * 1000 });
      if (verification.ok && accessKeys.sessionTokenMatches(verification.accessKeyId, sessionTokenOf(signed.headers, signed.rawQuery))) {
        return { ok: true, peer: { kind: 'access-key', id: verification.accessKeyId } };
      }
      if (verification.ok) {
        logger.warn({ remote: request.socket.remoteAddress }, 'refused MQTT over WebSocket: the session token does not match its temporary access key');
        return { ok: false, status: 403, type: 'ForbiddenException', message: 'UnrecognizedClientException: The security token included in the request is invalid.' };
      }
      logger.warn({ remote: request.socket.remoteAddress, code: verification.code }, `refused MQTT over WebSocket: ${verification.message}`);
      return { ok: false, status: 403, type: 'ForbiddenException', message: `${verification.code}: ${verification.message}` };
    },
  };
}

function compileAnonymousPolicy(document: string | undefined): CompiledPolicy | undefined {
  if (document === undefined) return undefined;
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) throw new HakoError('CONFIG_INVALID', [`iam.anonymousPolicy: ${parsed.message}`]);
  return compilePolicy('anonymous (iam.anonymousPolicy)', parsed.document);
}
