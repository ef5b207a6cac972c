/**
 * @module iam/variables — the policy variables of one MQTT connection (AWS IoT §5.4).
 *
 * Thing variables resolve only when the connecting certificate is attached to the thing whose name is
 * the client id, exactly as AWS IoT does; the registry is asked at evaluation time, so attaching a thing
 * takes effect on the next (uncached) decision.
 */
import type { Registry } from '../registry/registry.js';
import type { CertificateInfo } from './pki/index.js';
import type { VariableResolver } from './policy/index.js';

export interface ConnectionFacts {
  clientId: string;
  /** Certificate ARN, when the client presented a certificate. */
  principal: string | undefined;
  certificate: CertificateInfo | undefined;
  sourceIp: string;
  /** `PersistentConnect` (clean session off) and `LastWill` (a will is set), for iot:ConnectAttributes. */
  connectAttributes: readonly string[];
}

export function connectionVariables(facts: ConnectionFacts, registry: Registry): VariableResolver {
  const attachedThing = () => (facts.principal !== undefined && registry.isAttached(facts.clientId, facts.principal) ? registry.thing(facts.clientId) : undefined);
  return (name) => {
    switch (name) {
      case 'iot:ClientId':
        return facts.clientId;
      case 'aws:SourceIp':
        return facts.sourceIp;
      case 'iot:ConnectAttributes':
        return facts.connectAttributes;
      case 'iot:Connection.Thing.IsAttached':
        return attachedThing() !== undefined ? 'true' : 'false';
      case 'iot:Connection.Thing.ThingName':
        return attachedThing()?.thingName;
      case 'iot:Connection.Thing.ThingTypeName':
        return attachedThing()?.thingTypeName;
      case 'iot:Certificate.SerialNumber':
        return facts.certificate?.serialNumber;
      case 'iot:Certificate.Validity.NotBefore':
        return facts.certificate?.notBefore.toISOString();
      case 'iot:Certificate.Validity.NotAfter':
        return facts.certificate?.notAfter.toISOString();
    }
    const attribute = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(name)?.[1];
    if (attribute !== undefined) return attachedThing()?.attributes[attribute];
    const dn = /^iot:Certificate\.(Subject|Issuer)\.([A-Za-z]+)(\.List)?$/.exec(name);
    if (dn !== null && facts.certificate !== undefined) {
      const values = (dn[1] === 'Subject' ? facts.certificate.subject : facts.certificate.issuer)[dn[2] as string];
      if (values === undefined || values.length === 0) return undefined;
      return dn[3] === undefined ? values[0] : values;
    }
    return undefined;
  };
}

/** The IP of an `address:port` (IPv6 addresses contain colons too). */
export function ipOf(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  const ip = colon === -1 ? remoteAddress : remoteAddress.slice(0, colon);
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
