/** EHR and EHR_STATUS resources (ITS-REST Release 1.0.3, EHR API). */
import { Router, type Request, type Response } from 'express';
import type { StoredVersion } from '@cdr/store';
import { commitMetadata } from '../http/audit-headers.js';
import { baseUrl, ifMatch } from '../http/negotiation.js';
import type { EhrService } from '../services/ehr-service.js';
import { ehrResource, originalVersionResource, revisionHistoryResource, versionedObjectResource } from './representations.js';
import { readRmBody, sendCommitted, sendResource, withLatestLocation } from './respond.js';

export function ehrRoutes(service: EhrService, publicUrl: string | undefined): Router {
  const router = Router();
  const api = (req: Request) => `${baseUrl(req, publicUrl)}/openehr/v1`;
  const ehrUrl = (req: Request, ehrId: string) => `${api(req)}/ehr/${ehrId}`;
  const statusUrl = (req: Request, ehrId: string, uid: string) => `${ehrUrl(req, ehrId)}/ehr_status/${uid}`;
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);

  const created = async (req: Request, res: Response, ehrId?: string) => {
    const ehr = await service.createEhr({
      ...(ehrId !== undefined ? { ehrId } : {}),
      status: readRmBody(req, 'EHR_STATUS', { required: false, xml: false }),
      meta: commitMetadata(req),
    });
    sendCommitted(req, res, true, ehrResource(ehr), { etag: ehr.ehrId, location: ehrUrl(req, ehr.ehrId), lastModified: ehr.timeCreated }, { xml: false });
  };

  router.post('/ehr', async (req, res) => created(req, res));
  router.put('/ehr/:ehr_id', async (req, res) => created(req, res, req.params.ehr_id));

  router.get('/ehr', async (req, res) => {
    const ehr = await service.findEhrBySubject(query(req, 'subject_id'), query(req, 'subject_namespace'));
    sendResource(req, res, 200, ehrResource(ehr), { etag: ehr.ehrId, location: ehrUrl(req, ehr.ehrId) }, { xml: false });
  });

  router.get('/ehr/:ehr_id', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    sendResource(req, res, 200, ehrResource(ehr), { etag: ehr.ehrId, location: ehrUrl(req, ehr.ehrId) }, { xml: false });
  });

  const sendStatus = (req: Request, res: Response, version: StoredVersion) =>
    sendResource(req, res, 200, version.data ?? {}, {
      etag: version.uid,
      location: statusUrl(req, version.ehrId, version.uid),
      lastModified: version.timeCommitted,
    });

  router.get('/ehr/:ehr_id/ehr_status', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    const version = await service.versionOf(ehr.ehrId, ehr.ehrStatusId, 'EHR_STATUS', query(req, 'version_at_time'));
    sendStatus(req, res, version);
  });

  router.get('/ehr/:ehr_id/ehr_status/:version_uid', async (req, res) => {
    const version = await service.versionByUid(req.params.ehr_id, req.params.version_uid, 'EHR_STATUS');
    sendStatus(req, res, version);
  });

  router.put('/ehr/:ehr_id/ehr_status', async (req, res) => {
    const preceding = ifMatch(req) as string;
    const body = readRmBody(req, 'EHR_STATUS');
    const version = await withLatestLocation(
      () => service.updateEhrStatus(req.params.ehr_id, preceding, body, commitMetadata(req)),
      (latest) => statusUrl(req, req.params.ehr_id, latest),
    );
    sendCommitted(req, res, false, version.data ?? {}, {
      etag: version.uid,
      location: statusUrl(req, version.ehrId, version.uid),
      lastModified: version.timeCommitted,
    });
  });

  router.get('/ehr/:ehr_id/versioned_ehr_status', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    const info = await service.requireObject(ehr.ehrId, ehr.ehrStatusId, 'EHR_STATUS');
    sendResource(req, res, 200, versionedObjectResource(info), { etag: info.objectId });
  });

  router.get('/ehr/:ehr_id/versioned_ehr_status/revision_history', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    const { versions } = await service.history(ehr.ehrId, ehr.ehrStatusId, 'EHR_STATUS');
    sendResource(req, res, 200, revisionHistoryResource(versions), {}, { xml: false });
  });

  const versionUrl = (req: Request, ehrId: string, uid: string) => `${ehrUrl(req, ehrId)}/versioned_ehr_status/version/${uid}`;

  router.get('/ehr/:ehr_id/versioned_ehr_status/version', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    const version = await service.versionOf(ehr.ehrId, ehr.ehrStatusId, 'EHR_STATUS', query(req, 'version_at_time'));
    sendResource(req, res, 200, originalVersionResource(version), {
      etag: version.uid,
      location: versionUrl(req, ehr.ehrId, version.uid),
      lastModified: version.timeCommitted,
    });
  });

  router.get('/ehr/:ehr_id/versioned_ehr_status/version/:version_uid', async (req, res) => {
    const version = await service.versionByUid(req.params.ehr_id, req.params.version_uid, 'EHR_STATUS');
    sendResource(req, res, 200, originalVersionResource(version), {
      etag: version.uid,
      location: versionUrl(req, version.ehrId, version.uid),
      lastModified: version.timeCommitted,
    });
  });

  return router;
}
