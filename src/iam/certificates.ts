/**
 * @module iam/certificates — registered device and CA certificates, their statuses, and the check a TLS
 * client certificate must pass before MQTT begins (AWS IoT §5.1, §5.2).
 *
 * State lives in memory and is written through to the record store before an operation answers. Every
 * refusal of a client certificate says exactly why, because "the device just keeps reconnecting" is the
 * most common AWS IoT support question.
 */
import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { CertificateError, certificateFromCsr, createKeysAndCertificate, inspectCertificate, isIssuedBy, type Authority, type CertificateInfo } from './pki/index.js';

export type CertificateStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED' | 'PENDING_TRANSFER' | 'REGISTER_INACTIVE' | 'PENDING_ACTIVATION';
export type CaStatus = 'ACTIVE' | 'INACTIVE';
export type CertificateMode = 'DEFAULT' | 'SNI_ONLY';

export interface CertificateRecord {
  certificateId: string;
  pem: string;
  status: CertificateStatus;
  caCertificateId: string | undefined;
  mode: CertificateMode;
  createdAt: number;
  updatedAt: number;
  customerVersion: number;
  generationId: string;
}

export interface CaCertificateRecord {
  certificateId: string;
  pem: string;
  status: CaStatus;
  autoRegistration: 'ENABLE' | 'DISABLE';
  mode: CertificateMode;
  createdAt: number;
  updatedAt: number;
  customerVersion: number;
  generationId: string;
}

/** A client certificate that passed: the registered record and what the certificate says. */
export interface VerifiedPeer {
  certificate: CertificateRecord;
  info: CertificateInfo;
}

export type PeerCheck = { ok: true; peer: VerifiedPeer } | { ok: false; reason: string };

/** A certificate registered by just-in-time registration (JITR), or seen again while still pending. */
export interface AutoRegistration {
  certificateId: string;
  caCertificateId: string;
  /** When the certificate was registered, epoch ms. */
  registeredAt: number;
}

export interface CertificatesDeps {
  records: RecordStore;
  authority: Authority;
  clock: Clock;
  changes: ChangeFeed;
  certificateArn: (certificateId: string) => string;
  caCertificateArn: (certificateId: string) => string;
  /** Policies or things still attached to a certificate, checked before it may be deleted. */
  attachmentsOf: (certificateArn: string) => { policies: string[]; things: string[] };
  /** Detaches every policy from a certificate deleted with forceDelete. */
  detachPolicies: (certificateArn: string) => Promise<void>;
  /** Reports a JITR registration that could not be stored. */
  onStoreError: (error: unknown, what: string) => void;
}

const USER_SETTABLE: ReadonlySet<string> = new Set(['ACTIVE', 'INACTIVE', 'REVOKED']);
const CERTIFICATE_ID = /^(0x)?[a-fA-F0-9]{64}$/;

export class Certificates {
  readonly #certificates = new Map<string, CertificateRecord>();
  readonly #cas = new Map<string, CaCertificateRecord>();
  /** Parsed once per certificate: connection checks and policy variables read it on every CONNECT. */
  readonly #info = new Map<string, CertificateInfo>();
  readonly #certificateStore: RecordCollection<CertificateRecord>;
  readonly #caStore: RecordCollection<CaCertificateRecord>;
  readonly #settings: RecordCollection<string>;
  readonly #revokedListeners = new Set<(certificateId: string, reason: string) => void>();
  readonly #caListeners = new Set<() => void>();
  readonly #autoRegistrationListeners = new Set<(registration: AutoRegistration) => void>();
  readonly #deps: CertificatesDeps;
  #registrationCode = '';

  constructor(deps: CertificatesDeps) {
    this.#deps = deps;
    this.#certificateStore = deps.records.collection('iam.certificates');
    this.#caStore = deps.records.collection('iam.ca-certificates');
    this.#settings = deps.records.collection('iam.settings');
  }

  /** Loads the registry and makes sure hako's own CA is registered, so the certificates it issues verify. */
  async start(): Promise<void> {
    for (const record of (await this.#certificateStore.loadAll()).values()) this.#certificates.set(record.certificateId, record);
    for (const record of (await this.#caStore.loadAll()).values()) this.#cas.set(record.certificateId, record);
    const settings = await this.#settings.loadAll();
    this.#registrationCode = settings.get('registrationCode') ?? randomBytes(32).toString('hex');
    if (!settings.has('registrationCode')) await this.#settings.put('registrationCode', this.#registrationCode);
    const own = this.#deps.authority;
    if (!this.#cas.has(own.certificateId)) {
      await this.#putCa(this.#newCa(own.certificatePem, own.certificateId, 'ACTIVE', 'DISABLE', 'DEFAULT'));
    }
  }

  // ── the TLS check ───────────────────────────────────────────────────────────────────────────────

  /** Decides whether a TLS client certificate may open an MQTT connection, and if not, says why. */
  verifyPeer(presented: X509Certificate | undefined): PeerCheck {
    if (presented === undefined) return { ok: false, reason: 'no client certificate was presented; this listener requires one' };
    const certificateId = presented.fingerprint256.replaceAll(':', '').toLowerCase();
    const record = this.#certificates.get(certificateId);
    if (record === undefined) return this.#unknown(presented, certificateId);
    const info = this.#infoOf(record);
    const now = this.#deps.clock.now();
    if (now > info.notAfter.getTime()) return { ok: false, reason: `certificate ${certificateId} expired at ${info.notAfter.toISOString()}` };
    if (now < info.notBefore.getTime()) return { ok: false, reason: `certificate ${certificateId} is not valid before ${info.notBefore.toISOString()}` };
    const ca = record.caCertificateId === undefined ? undefined : this.#cas.get(record.caCertificateId);
    if (record.status === 'PENDING_ACTIVATION' && ca?.autoRegistration === 'ENABLE') {
      // AWS announces a pending certificate again on every attempt, so a missed event is not fatal.
      this.#announce({ certificateId, caCertificateId: ca.certificateId, registeredAt: record.createdAt });
    }
    if (record.status !== 'ACTIVE') return { ok: false, reason: `certificate ${certificateId} is ${record.status}; only ACTIVE certificates may connect (UpdateCertificate)` };
    if (ca !== undefined && ca.status !== 'ACTIVE') return { ok: false, reason: `certificate ${certificateId} was issued by CA ${ca.certificateId}, which is ${ca.status}` };
    return { ok: true, peer: { certificate: record, info } };
  }

  /** An unregistered certificate: registered now if its CA allows auto-registration (JITR), else refused with why. */
  #unknown(presented: X509Certificate, certificateId: string): PeerCheck {
    const subject = presented.subject.replaceAll('\n', ', ');
    // Not checkIssued: OpenSSL refuses a leaf as its own issuer when its key usage lacks keyCertSign.
    if (presented.subject === presented.issuer && presented.verify(presented.publicKey)) {
      return { ok: false, reason: `self-signed certificate ${certificateId} (${subject}) is not registered; register it with RegisterCertificateWithoutCA or use a hako-issued certificate` };
    }
    const issuer = [...this.#cas.values()].find((ca) => isIssuedBy(presented, ca.pem));
    if (issuer === undefined) {
      return { ok: false, reason: `certificate ${certificateId} (${subject}) is issued by "${presented.issuer.replaceAll('\n', ', ')}", which is not a registered CA (RegisterCACertificate)` };
    }
    if (issuer.autoRegistration !== 'ENABLE' || issuer.status !== 'ACTIVE') {
      return { ok: false, reason: `certificate ${certificateId} (${subject}) is signed by registered CA ${issuer.certificateId} but is not registered itself (RegisterCertificate, or enable auto-registration on the CA)` };
    }
    const now = this.#deps.clock.now();
    if (now > Date.parse(presented.validTo) || now < Date.parse(presented.validFrom)) {
      return { ok: false, reason: `certificate ${certificateId} (${subject}) is outside its validity (${presented.validFrom} – ${presented.validTo}) and was not auto-registered` };
    }
    this.#autoRegister(presented, certificateId, issuer.certificateId, now);
    return { ok: false, reason: `certificate ${certificateId} (${subject}) was registered just now as PENDING_ACTIVATION because CA ${issuer.certificateId} allows auto-registration (JITR); activate it (UpdateCertificate) and connect again` };
  }

  /** JITR: the record is usable at once; the event goes out once it is stored. */
  #autoRegister(presented: X509Certificate, certificateId: string, caCertificateId: string, now: number): void {
    const record: CertificateRecord = { certificateId, pem: presented.toString(), status: 'PENDING_ACTIVATION', caCertificateId, mode: 'DEFAULT', createdAt: now, updatedAt: now, customerVersion: 1, generationId: newResourceId() };
    this.#certificates.set(certificateId, record);
    this.#deps.changes.bump('certificate');
    this.#certificateStore.put(certificateId, record).then(
      () => this.#announce({ certificateId, caCertificateId, registeredAt: now }),
      (error: unknown) => {
        // Not stored: forget it, so the device's next attempt registers it again.
        if (this.#certificates.get(certificateId) === record) this.#certificates.delete(certificateId);
        this.#deps.onStoreError(error, `auto-registration of certificate ${certificateId}`);
      },
    );
  }

  #announce(registration: AutoRegistration): void {
    for (const listener of this.#autoRegistrationListeners) listener(registration);
  }

  /** JITR: a certificate was auto-registered (or tried to connect again while pending). */
  onAutoRegistered(listener: (registration: AutoRegistration) => void): () => void {
    this.#autoRegistrationListeners.add(listener);
    return () => this.#autoRegistrationListeners.delete(listener);
  }

  /** CA certificates a TLS listener should name when it asks for a client certificate. */
  activeCaPems(): string[] {
    return [...this.#cas.values()].filter((ca) => ca.status === 'ACTIVE').map((ca) => ca.pem);
  }

  /** Called when a certificate may no longer connect (deactivated, revoked, its CA deactivated). */
  onRevoked(listener: (certificateId: string, reason: string) => void): () => void {
    this.#revokedListeners.add(listener);
    return () => this.#revokedListeners.delete(listener);
  }

  onCaChange(listener: () => void): () => void {
    this.#caListeners.add(listener);
    return () => this.#caListeners.delete(listener);
  }

  get(certificateId: string): CertificateRecord | undefined {
    return this.#certificates.get(certificateId);
  }

  info(certificateId: string): CertificateInfo | undefined {
    const record = this.#certificates.get(certificateId);
    return record === undefined ? undefined : this.#infoOf(record);
  }

  // ── API operations ──────────────────────────────────────────────────────────────────────────────

  async createKeysAndCertificate(setAsActive: boolean, subject = 'CN=AWS IoT Certificate'): Promise<{ record: CertificateRecord; publicKeyPem: string; privateKeyPem: string }> {
    const issued = await createKeysAndCertificate(this.#deps.authority, subject);
    const record = await this.#register(issued.certificatePem, setAsActive ? 'ACTIVE' : 'INACTIVE', this.#deps.authority.certificateId);
    return { record, publicKeyPem: issued.publicKeyPem, privateKeyPem: issued.privateKeyPem };
  }

  async createCertificateFromCsr(csrPem: string, setAsActive: boolean): Promise<CertificateRecord> {
    if (typeof csrPem !== 'string' || csrPem.trim() === '') throw new AwsError('InvalidRequestException', 'certificateSigningRequest is required');
    let pem: string;
    try {
      pem = await certificateFromCsr(this.#deps.authority, csrPem);
    } catch (error) {
      throw asValidationError(error, 'the certificate signing request');
    }
    return this.#register(pem, setAsActive ? 'ACTIVE' : 'INACTIVE', this.#deps.authority.certificateId);
  }

  /** RegisterCertificate: a device certificate signed by a registered CA (the CA may come along). */
  async registerCertificate(certificatePem: string, options: { caCertificatePem?: string | undefined; status?: string | undefined; setAsActive?: boolean | undefined }): Promise<CertificateRecord> {
    const info = parse(certificatePem, 'certificatePem');
    const status = chooseStatus(options.status, options.setAsActive);
    let ca: CaCertificateRecord | undefined;
    if (options.caCertificatePem !== undefined && options.caCertificatePem !== '') {
      const caId = parse(options.caCertificatePem, 'caCertificatePem').certificateId;
      ca = this.#cas.get(caId);
      // AWS's RegisterCertificate has no ResourceNotFoundException: an unknown CA makes the certificate invalid.
      if (ca === undefined) throw new AwsError('CertificateValidationException', `the CA certificate ${caId} is not registered (RegisterCACertificate)`);
    } else {
      ca = [...this.#cas.values()].find((candidate) => isIssuedBy(info.pem, candidate.pem));
    }
    if (ca === undefined || !isIssuedBy(info.pem, ca.pem)) {
      throw new AwsError('CertificateValidationException', `certificate ${info.certificateId} is not signed by a registered CA; register its CA first or use RegisterCertificateWithoutCA`);
    }
    if (ca.status !== 'ACTIVE') throw new AwsError('CertificateStateException', `the CA certificate ${ca.certificateId} is ${ca.status}`);
    return this.#register(info.pem, status, ca.certificateId);
  }

  async registerCertificateWithoutCa(certificatePem: string, status: string | undefined): Promise<CertificateRecord> {
    const info = parse(certificatePem, 'certificatePem');
    return this.#register(info.pem, chooseStatus(status, undefined), undefined);
  }

  getRegistrationCode(): string {
    return this.#registrationCode;
  }

  async registerCaCertificate(caCertificatePem: string, options: { verificationCertificate?: string | undefined; setAsActive?: boolean | undefined; allowAutoRegistration?: boolean | undefined; certificateMode?: string | undefined }): Promise<CaCertificateRecord> {
    const info = parse(caCertificatePem, 'caCertificate');
    if (!info.isCA) throw new AwsError('CertificateValidationException', `certificate ${info.certificateId} is not a CA certificate (basicConstraints CA:TRUE is missing)`);
    const mode = (options.certificateMode ?? 'DEFAULT') as CertificateMode;
    if (mode !== 'DEFAULT' && mode !== 'SNI_ONLY') throw new AwsError('InvalidRequestException', 'certificateMode must be DEFAULT or SNI_ONLY');
    if (mode === 'DEFAULT') {
      // Proof of possession of the CA's key: a certificate it signed whose subject CN is our registration code.
      const verification = options.verificationCertificate;
      if (verification === undefined || verification === '') throw new AwsError('InvalidRequestException', 'verificationCertificate is required unless certificateMode is SNI_ONLY');
      const verificationInfo = parse(verification, 'verificationCertificate');
      if (verificationInfo.subject.CommonName?.[0] !== this.#registrationCode) {
        throw new AwsError('RegistrationCodeValidationException', 'the verification certificate\'s subject CommonName is not this account\'s registration code (GetRegistrationCode)');
      }
      if (!isIssuedBy(verificationInfo.pem, info.pem)) throw new AwsError('CertificateValidationException', 'the verification certificate is not signed by the CA certificate');
    }
    if (this.#cas.has(info.certificateId)) throw new AwsError('ResourceAlreadyExistsException', `the CA certificate ${info.certificateId} is already registered`);
    const record = this.#newCa(info.pem, info.certificateId, options.setAsActive === true ? 'ACTIVE' : 'INACTIVE', options.allowAutoRegistration === true ? 'ENABLE' : 'DISABLE', mode);
    await this.#putCa(record);
    return record;
  }

  async updateCertificate(certificateId: string, newStatus: string | undefined): Promise<void> {
    const record = this.describeCertificate(certificateId);
    if (newStatus === undefined || !USER_SETTABLE.has(newStatus)) throw new AwsError('InvalidRequestException', 'newStatus must be ACTIVE, INACTIVE or REVOKED');
    if (record.status === 'REVOKED' && newStatus !== 'REVOKED') throw new AwsError('CertificateStateException', `certificate ${certificateId} is REVOKED and cannot be changed back`);
    if (record.status === newStatus) return;
    const updated: CertificateRecord = { ...record, status: newStatus as CertificateStatus, updatedAt: this.#deps.clock.now(), customerVersion: record.customerVersion + 1, generationId: newResourceId() };
    await this.#certificateStore.put(certificateId, updated);
    this.#certificates.set(certificateId, updated);
    this.#deps.changes.bump('certificate');
    if (updated.status !== 'ACTIVE') for (const listener of this.#revokedListeners) listener(certificateId, `certificate ${certificateId} is now ${updated.status}`);
  }

  describeCertificate(certificateId: string): CertificateRecord {
    checkId(certificateId);
    const record = this.#certificates.get(certificateId.replace(/^0x/, '').toLowerCase());
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `The certificate ${certificateId} does not exist`);
    return record;
  }

  validityOf(record: CertificateRecord | CaCertificateRecord): { notBefore: Date; notAfter: Date } {
    const info = this.#infoOf(record);
    return { notBefore: info.notBefore, notAfter: info.notAfter };
  }

  listCertificates(options: { pageSize?: number | undefined; marker?: string | undefined; ascendingOrder?: boolean | undefined; caCertificateId?: string | undefined }): Page<CertificateRecord> {
    const filtered = [...this.#certificates.values()].filter((c) => options.caCertificateId === undefined || c.caCertificateId === options.caCertificateId);
    return pageOf(byCreation(filtered, options.ascendingOrder), creationKey, options.marker, options.pageSize, 250, options.ascendingOrder !== true);
  }

  async deleteCertificate(certificateId: string, forceDelete: boolean): Promise<void> {
    const record = this.describeCertificate(certificateId);
    if (record.status === 'ACTIVE') throw new AwsError('CertificateStateException', 'Certificate must be deactivated (not ACTIVE) before deletion.');
    const attached = this.#deps.attachmentsOf(this.#deps.certificateArn(record.certificateId));
    if (attached.things.length > 0) throw new AwsError('DeleteConflictException', `Things must be detached before deletion (${attached.things.join(', ')})`);
    if (attached.policies.length > 0 && !forceDelete) throw new AwsError('DeleteConflictException', `Certificate policies must be detached before deletion (${attached.policies.join(', ')}), or pass forceDelete`);
    if (attached.policies.length > 0) await this.#deps.detachPolicies(this.#deps.certificateArn(record.certificateId));
    await this.#certificateStore.delete(record.certificateId);
    this.#certificates.delete(record.certificateId);
    this.#info.delete(record.certificateId);
    this.#deps.changes.bump('certificate');
  }

  describeCaCertificate(certificateId: string): CaCertificateRecord {
    checkId(certificateId);
    const record = this.#cas.get(certificateId.replace(/^0x/, '').toLowerCase());
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `The CA certificate ${certificateId} does not exist`);
    return record;
  }

  async updateCaCertificate(certificateId: string, newStatus: string | undefined, newAutoRegistrationStatus: string | undefined): Promise<void> {
    const record = this.describeCaCertificate(certificateId);
    if (newStatus !== undefined && newStatus !== 'ACTIVE' && newStatus !== 'INACTIVE') throw new AwsError('InvalidRequestException', 'newStatus must be ACTIVE or INACTIVE');
    if (newAutoRegistrationStatus !== undefined && newAutoRegistrationStatus !== 'ENABLE' && newAutoRegistrationStatus !== 'DISABLE') {
      throw new AwsError('InvalidRequestException', 'newAutoRegistrationStatus must be ENABLE or DISABLE');
    }
    const updated: CaCertificateRecord = {
      ...record,
      status: (newStatus ?? record.status) as CaStatus,
      autoRegistration: (newAutoRegistrationStatus ?? record.autoRegistration) as 'ENABLE' | 'DISABLE',
      updatedAt: this.#deps.clock.now(),
      customerVersion: record.customerVersion + 1,
      generationId: newResourceId(),
    };
    await this.#putCa(updated);
    if (updated.status !== 'ACTIVE' && record.status === 'ACTIVE') {
      // Devices whose certificates this CA issued may no longer connect: end their connections too.
      for (const certificate of this.#certificates.values()) {
        if (certificate.caCertificateId !== record.certificateId) continue;
        for (const listener of this.#revokedListeners) listener(certificate.certificateId, `the CA ${record.certificateId} that issued certificate ${certificate.certificateId} is now ${updated.status}`);
      }
    }
  }

  listCaCertificates(options: { pageSize?: number | undefined; marker?: string | undefined; ascendingOrder?: boolean | undefined }): Page<CaCertificateRecord> {
    return pageOf(byCreation([...this.#cas.values()], options.ascendingOrder), creationKey, options.marker, options.pageSize, 250, options.ascendingOrder !== true);
  }

  async deleteCaCertificate(certificateId: string): Promise<void> {
    const record = this.describeCaCertificate(certificateId);
    if (record.certificateId === this.#deps.authority.certificateId) throw new AwsError('InvalidRequestException', 'hako\'s own root CA cannot be deleted');
    if (record.status === 'ACTIVE') throw new AwsError('CertificateStateException', 'The CA certificate must be deactivated (INACTIVE) before deletion.');
    if ([...this.#certificates.values()].some((c) => c.caCertificateId === record.certificateId)) {
      throw new AwsError('DeleteConflictException', 'Certificates signed by this CA must be deleted first');
    }
    await this.#caStore.delete(record.certificateId);
    this.#cas.delete(record.certificateId);
    this.#info.delete(record.certificateId);
    this.#deps.changes.bump('ca-certificate');
    for (const listener of this.#caListeners) listener();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────

  async #register(pem: string, status: CertificateStatus, caCertificateId: string | undefined): Promise<CertificateRecord> {
    const info = parse(pem, 'certificatePem');
    if (this.#certificates.has(info.certificateId)) throw new AwsError('ResourceAlreadyExistsException', `The certificate ${info.certificateId} is already registered`);
    const now = this.#deps.clock.now();
    const record: CertificateRecord = { certificateId: info.certificateId, pem: info.pem, status, caCertificateId, mode: 'DEFAULT', createdAt: now, updatedAt: now, customerVersion: 1, generationId: newResourceId() };
    await this.#certificateStore.put(record.certificateId, record);
    this.#certificates.set(record.certificateId, record);
    this.#info.set(record.certificateId, info);
    this.#deps.changes.bump('certificate');
    return record;
  }

  #newCa(pem: string, certificateId: string, status: CaStatus, autoRegistration: 'ENABLE' | 'DISABLE', mode: CertificateMode): CaCertificateRecord {
    const now = this.#deps.clock.now();
    return { certificateId, pem, status, autoRegistration, mode, createdAt: now, updatedAt: now, customerVersion: 1, generationId: newResourceId() };
  }

  async #putCa(record: CaCertificateRecord): Promise<void> {
    await this.#caStore.put(record.certificateId, record);
    this.#cas.set(record.certificateId, record);
    this.#deps.changes.bump('ca-certificate');
    for (const listener of this.#caListeners) listener();
  }

  #infoOf(record: { certificateId: string; pem: string }): CertificateInfo {
    let info = this.#info.get(record.certificateId);
    if (info === undefined) this.#info.set(record.certificateId, (info = inspectCertificate(record.pem)));
    return info;
  }
}

function parse(pem: unknown, field: string): CertificateInfo {
  if (typeof pem !== 'string' || pem.trim() === '') throw new AwsError('InvalidRequestException', `${field} is required`);
  try {
    return inspectCertificate(pem);
  } catch (error) {
    throw asValidationError(error, field);
  }
}

function asValidationError(error: unknown, what: string): AwsError {
  if (error instanceof CertificateError) return new AwsError('CertificateValidationException', `${what}: ${error.message}`, { cause: error });
  throw error;
}

function chooseStatus(status: string | undefined, setAsActive: boolean | undefined): CertificateStatus {
  if (status !== undefined) {
    if (!USER_SETTABLE.has(status) && status !== 'PENDING_ACTIVATION') throw new AwsError('InvalidRequestException', 'status must be ACTIVE, INACTIVE, REVOKED or PENDING_ACTIVATION');
    return status as CertificateStatus;
  }
  return setAsActive === true ? 'ACTIVE' : 'INACTIVE';
}

function checkId(certificateId: string): void {
  if (!CERTIFICATE_ID.test(certificateId)) throw new AwsError('InvalidRequestException', `certificateId "${certificateId}" must be 64 hexadecimal characters`);
}

/** Newest first unless asked otherwise, as AWS lists certificates; the id breaks ties. */
function byCreation<T extends { createdAt: number; certificateId: string }>(records: T[], ascending: boolean | undefined): T[] {
  return records.sort((a, b) => (ascending === true ? 1 : -1) * (a.createdAt - b.createdAt || (a.certificateId < b.certificateId ? -1 : 1)));
}

function creationKey(record: { createdAt: number; certificateId: string }): string {
  return `${String(record.createdAt).padStart(16, '0')}:${record.certificateId}`;
}
