/**
 * @module iam/jitr — the MQTT event AWS IoT publishes when just-in-time registration registers a device
 * certificate (specs §5.2): a rule or an application subscribed to it activates the certificate, attaches
 * a policy, and the device's next connection succeeds.
 */
import type { AutoRegistration } from './certificates.js';

export function registrationEvent(registration: AutoRegistration, account: string, now: number): { topic: string; payload: Buffer } {
  return {
    topic: `$aws/events/certificates/registered/${registration.caCertificateId}`,
    payload: Buffer.from(
      JSON.stringify({
        certificateId: registration.certificateId,
        caCertificateId: registration.caCertificateId,
        timestamp: now,
        certificateStatus: 'PENDING_ACTIVATION',
        awsAccountId: account,
        certificateRegistrationTimestamp: registration.registeredAt,
      }),
    ),
  };
}
