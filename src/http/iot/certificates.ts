/**
 * @module http/iot/certificates — AWS IoT certificate operations (REST-JSON, paths as `@aws-sdk/client-iot`
 * sends them): CreateKeysAndCertificate, CreateCertificateFromCsr, Register{,CA}Certificate{,WithoutCA},
 * Update/Describe/List/Delete{,CA}Certificate, ListCertificatesByCA, GetRegistrationCode.
 */
import type { FastifyInstance } from 'fastify';
import type { Identity } from '../../iam/identity.js';
import type { CaCertificateRecord, CertificateRecord } from '../../iam/certificates.js';
import { apiRoute, epochSeconds, optionalBoolean, optionalInteger, optionalString, requiredString, type ApiRequest } from '../aws-api.js';

export function registerCertificateRoutes(app: FastifyInstance, identity: Identity): void {
  const { certificates, arns } = identity;
  const created = (record: CertificateRecord) => ({ certificateArn: arns.cert(record.certificateId), certificateId: record.certificateId });
  const describe = (record: CertificateRecord) => ({
    certificateArn: arns.cert(record.certificateId),
    certificateId: record.certificateId,
    caCertificateId: record.caCertificateId,
    status: record.status,
    certificatePem: record.pem,
    ownedBy: identityAccount(arns.cert(record.certificateId)),
    creationDate: epochSeconds(record.createdAt),
    lastModifiedDate: epochSeconds(record.updatedAt),
    customerVersion: record.customerVersion,
    generationId: record.generationId,
    validity: validity(certificates.validityOf(record)),
    certificateMode: record.mode,
  });
  const describeCa = (record: CaCertificateRecord) => ({
    certificateArn: arns.caCert(record.certificateId),
    certificateId: record.certificateId,
    status: record.status,
    certificatePem: record.pem,
    ownedBy: identityAccount(arns.caCert(record.certificateId)),
    creationDate: epochSeconds(record.createdAt),
    lastModifiedDate: epochSeconds(record.updatedAt),
    autoRegistrationStatus: record.autoRegistration,
    customerVersion: record.customerVersion,
    generationId: record.generationId,
    validity: validity(certificates.validityOf(record)),
    certificateMode: record.mode,
  });
  const summary = (record: CertificateRecord | CaCertificateRecord, arn: string) => ({
    certificateArn: arn,
    certificateId: record.certificateId,
    status: record.status,
    certificateMode: record.mode,
    creationDate: epochSeconds(record.createdAt),
  });
  const listOptions = (request: ApiRequest) => ({
    pageSize: optionalInteger(request.query.pageSize, 'pageSize'),
    marker: request.query.marker,
    ascendingOrder: optionalBoolean(request.query.isAscendingOrder, 'isAscendingOrder'),
  });

  apiRoute(app, 'POST', '/keys-and-certificate', async (request) => {
    const { record, publicKeyPem, privateKeyPem } = await certificates.createKeysAndCertificate(optionalBoolean(request.query.setAsActive, 'setAsActive') === true);
    return { ...created(record), certificatePem: record.pem, keyPair: { PublicKey: publicKeyPem, PrivateKey: privateKeyPem } };
  });
  apiRoute(app, 'POST', '/certificates', async (request) => {
    const record = await certificates.createCertificateFromCsr(requiredString(request.body, 'certificateSigningRequest'), optionalBoolean(request.query.setAsActive, 'setAsActive') === true);
    return { ...created(record), certificatePem: record.pem };
  });
  apiRoute(app, 'POST', '/certificate/register', async (request) =>
    created(
      await certificates.registerCertificate(requiredString(request.body, 'certificatePem'), {
        caCertificatePem: optionalString(request.body, 'caCertificatePem'),
        status: optionalString(request.body, 'status'),
        setAsActive: optionalBoolean(request.query.setAsActive, 'setAsActive'),
      }),
    ),
  );
  apiRoute(app, 'POST', '/certificate/register-no-ca', async (request) =>
    created(await certificates.registerCertificateWithoutCa(requiredString(request.body, 'certificatePem'), optionalString(request.body, 'status'))),
  );
  apiRoute(app, 'GET', '/registrationcode', () => ({ registrationCode: certificates.getRegistrationCode() }));
  apiRoute(app, 'POST', '/cacertificate', async (request) => {
    const record = await certificates.registerCaCertificate(requiredString(request.body, 'caCertificate'), {
      verificationCertificate: optionalString(request.body, 'verificationCertificate'),
      setAsActive: optionalBoolean(request.query.setAsActive, 'setAsActive'),
      allowAutoRegistration: optionalBoolean(request.query.allowAutoRegistration, 'allowAutoRegistration'),
      certificateMode: optionalString(request.body, 'certificateMode'),
    });
    return { certificateArn: arns.caCert(record.certificateId), certificateId: record.certificateId };
  });
  apiRoute(app, 'PUT', '/certificates/:certificateId', async (request) => {
    await certificates.updateCertificate(request.params.certificateId as string, request.query.newStatus);
  });
  apiRoute(app, 'GET', '/certificates/:certificateId', (request) => ({ certificateDescription: describe(certificates.describeCertificate(request.params.certificateId as string)) }));
  apiRoute(app, 'GET', '/certificates', (request) => {
    const page = certificates.listCertificates(listOptions(request));
    return { certificates: page.items.map((c) => summary(c, arns.cert(c.certificateId))), nextMarker: page.nextToken };
  });
  apiRoute(app, 'GET', '/certificates-by-ca/:caCertificateId', (request) => {
    const ca = certificates.describeCaCertificate(request.params.caCertificateId as string);
    const page = certificates.listCertificates({ ...listOptions(request), caCertificateId: ca.certificateId });
    return { certificates: page.items.map((c) => summary(c, arns.cert(c.certificateId))), nextMarker: page.nextToken };
  });
  apiRoute(app, 'DELETE', '/certificates/:certificateId', async (request) => {
    await certificates.deleteCertificate(request.params.certificateId as string, optionalBoolean(request.query.forceDelete, 'forceDelete') === true);
  });
  apiRoute(app, 'GET', '/cacertificate/:certificateId', (request) => ({ certificateDescription: describeCa(certificates.describeCaCertificate(request.params.certificateId as string)) }));
  apiRoute(app, 'PUT', '/cacertificate/:certificateId', async (request) => {
    await certificates.updateCaCertificate(request.params.certificateId as string, request.query.newStatus, request.query.newAutoRegistrationStatus);
  });
  apiRoute(app, 'GET', '/cacertificates', (request) => {
    const page = certificates.listCaCertificates(listOptions(request));
    return { certificates: page.items.map((c) => summary(c, arns.caCert(c.certificateId))), nextMarker: page.nextToken };
  });
  apiRoute(app, 'DELETE', '/cacertificate/:certificateId', async (request) => {
    await certificates.deleteCaCertificate(request.params.certificateId as string);
  });
}

function validity(range: { notBefore: Date; notAfter: Date }): { notBefore: number; notAfter: number } {
  return { notBefore: range.notBefore.getTime() / 1000, notAfter: range.notAfter.getTime() / 1000 };
}

/** The account id inside an ARN (`arn:aws:iot:<region>:<account>:…`). */
function identityAccount(arn: string): string {
  return arn.split(':')[4] ?? '';
}
