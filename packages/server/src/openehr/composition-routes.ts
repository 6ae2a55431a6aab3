/** COMPOSITION and VERSIONED_COMPOSITION resources (ITS-REST Release 1.0.3, EHR API). */
import { Router, type Request, type Response } from 'express';
import { notFound, parseUidBasedId, parseUuid } from '@cdr/rm';
import { LifecycleState, type StoredVersion } from '@cdr/store';
import { commitMetadata } from '../http/audit-headers.js';
import { baseUrl, ifMatch, prefersRepresentation } from '../http/negotiation.js';
import type { EhrService } from '../services/ehr-service.js';
import type { TemplateService } from '../services/template-service.js';
import { readComposition, responseFormat, sendComposition } from './composition-format.js';
import { originalVersionResource, revisionHistoryResource, versionedObjectResource } from './representations.js';
import { sendNoContent, sendResource, setHeaders, withLatestLocation } from './respond.js';

export function compositionRoutes(service: EhrService, templates: TemplateService, publicUrl: string | undefined): Router {
  const router = Router();
  const ehrUrl = (req: Request, ehrId: string) => `${baseUrl(req, publicUrl)}/openehr/v1/ehr/${ehrId}`;
  const compositionUrl = (req: Request, ehrId: string, uid: string) => `${ehrUrl(req, ehrId)}/composition/${uid}`;
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
  const headersOf = (req: Request, version: StoredVersion) => ({
    etag: version.uid,
    location: compositionUrl(req, version.ehrId, version.uid),
    lastModified: version.timeCommitted,
  });

  /** 201/200 with the composition when representation is preferred, else headers only. */
  const sendCommitted = async (req: Request, res: Response, created: boolean, version: StoredVersion) => {
    if (prefersRepresentation(req)) {
      await sendComposition(req, res, created ? 201 : 200, version.data ?? {}, version.templateId, headersOf(req, version), templates);
      return;
    }
    responseFormat(req); // an unacceptable Accept is refused whatever Prefer says
    setHeaders(res, headersOf(req, version));
    res.status(created ? 201 : 204).end();
  };

  router.post('/ehr/:ehr_id/composition', async (req, res) => {
    const body = await readComposition(req, templates);
    const version = await service.createComposition(req.params.ehr_id, body, commitMetadata(req));
    await sendCommitted(req, res, true, version);
  });

  router.get('/ehr/:ehr_id/composition/:uid_based_id', async (req, res) => {
    const id = parseUidBasedId(req.params.uid_based_id, 'composition uid');
    const version =
      id.kind === 'version'
        ? await service.versionByUid(req.params.ehr_id, req.params.uid_based_id, 'COMPOSITION')
        : await service.versionOf(req.params.ehr_id, id.objectId, 'COMPOSITION', query(req, 'version_at_time'));
    if (version.lifecycleState === LifecycleState.deleted || !version.data) {
      sendNoContent(res, headersOf(req, version));
      return;
    }
    await sendComposition(req, res, 200, version.data, version.templateId, headersOf(req, version), templates);
  });

  router.put('/ehr/:ehr_id/composition/:uid_based_id', async (req, res) => {
    const preceding = ifMatch(req) as string;
    // A FLAT or STRUCTURED update without a template id is read against the current version's template.
    const currentTemplate = async () => {
      const objectId = parseUidBasedId(req.params.uid_based_id, 'composition uid').objectId;
      const current = await service.versionOf(req.params.ehr_id, objectId, 'COMPOSITION');
      return current.templateId ?? undefined;
    };
    const body = await readComposition(req, templates, currentTemplate);
    const version = await withLatestLocation(
      () => service.updateComposition(req.params.ehr_id, req.params.uid_based_id, preceding, body, commitMetadata(req)),
      (latest) => compositionUrl(req, req.params.ehr_id, latest),
    );
    await sendCommitted(req, res, false, version);
  });

  router.delete('/ehr/:ehr_id/composition/:uid_based_id', async (req, res) => {
    const version = await withLatestLocation(
      () => service.deleteVersioned(req.params.ehr_id, req.params.uid_based_id, 'COMPOSITION', commitMetadata(req), 'conflict'),
      (latest) => compositionUrl(req, req.params.ehr_id, latest),
    );
    sendNoContent(res, headersOf(req, version));
  });

  const versioned = async (req: Request) => {
    const ehr = await service.getEhr(req.params.ehr_id as string);
    return { ehrId: ehr.ehrId, objectId: parseUuid(req.params.versioned_object_uid as string, 'versioned_object_uid') };
  };
  const versionUrl = (req: Request, version: StoredVersion) =>
    `${ehrUrl(req, version.ehrId)}/versioned_composition/${version.objectId}/version/${version.uid}`;

  router.get('/ehr/:ehr_id/versioned_composition/:versioned_object_uid', async (req, res) => {
    const { ehrId, objectId } = await versioned(req);
    const info = await service.requireObject(ehrId, objectId, 'COMPOSITION');
    sendResource(req, res, 200, versionedObjectResource(info), { etag: info.objectId });
  });

  router.get('/ehr/:ehr_id/versioned_composition/:versioned_object_uid/revision_history', async (req, res) => {
    const { ehrId, objectId } = await versioned(req);
    const { versions } = await service.history(ehrId, objectId, 'COMPOSITION');
    sendResource(req, res, 200, revisionHistoryResource(versions), {}, { xml: false });
  });

  router.get('/ehr/:ehr_id/versioned_composition/:versioned_object_uid/version', async (req, res) => {
    const { ehrId, objectId } = await versioned(req);
    const version = await service.versionOf(ehrId, objectId, 'COMPOSITION', query(req, 'version_at_time'));
    sendResource(req, res, 200, originalVersionResource(version), {
      etag: version.uid,
      location: versionUrl(req, version),
      lastModified: version.timeCommitted,
    });
  });

  router.get('/ehr/:ehr_id/versioned_composition/:versioned_object_uid/version/:version_uid', async (req, res) => {
    const { ehrId, objectId } = await versioned(req);
    const version = await service.versionByUid(ehrId, req.params.version_uid, 'COMPOSITION');
    if (version.objectId !== objectId) {
      await service.requireObject(ehrId, objectId, 'COMPOSITION');
      throw notFound(`version ${req.params.version_uid} is not a version of ${objectId}`);
    }
    sendResource(req, res, 200, originalVersionResource(version), {
      etag: version.uid,
      location: versionUrl(req, version),
      lastModified: version.timeCommitted,
    });
  });

  return router;
}
