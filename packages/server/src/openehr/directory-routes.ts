/** The EHR directory: a versioned FOLDER tree (ITS-REST Release 1.0.3, EHR API). */
import { Router, type Request, type Response } from 'express';
import { notFound } from '@cdr/rm';
import { LifecycleState, type JsonObject, type StoredVersion } from '@cdr/store';
import { commitMetadata } from '../http/audit-headers.js';
import { baseUrl, ifMatch } from '../http/negotiation.js';
import type { EhrService } from '../services/ehr-service.js';
import { readRmBody, sendCommitted, sendNoContent, sendResource, withLatestLocation } from './respond.js';

/** The sub-folder at a slash-separated path of folder names below the root. */
export function folderAtPath(root: JsonObject, path: string): JsonObject | undefined {
  let folder: JsonObject | undefined = root;
  for (const name of path.split('/').filter((part) => part.length > 0)) {
    const children: JsonObject[] = Array.isArray(folder?.folders) ? (folder.folders as JsonObject[]) : [];
    folder = children.find((child) => (child.name as JsonObject | undefined)?.value === name);
    if (!folder) {
      return undefined;
    }
  }
  return folder;
}

export function directoryRoutes(service: EhrService, publicUrl: string | undefined): Router {
  const router = Router();
  const directoryUrl = (req: Request, ehrId: string, uid: string) => `${baseUrl(req, publicUrl)}/openehr/v1/ehr/${ehrId}/directory/${uid}`;
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
  const headersOf = (req: Request, version: StoredVersion) => ({
    etag: version.uid,
    location: directoryUrl(req, version.ehrId, version.uid),
    lastModified: version.timeCommitted,
  });

  const sendFolder = (req: Request, res: Response, version: StoredVersion) => {
    if (version.lifecycleState === LifecycleState.deleted || !version.data) {
      sendNoContent(res, headersOf(req, version));
      return;
    }
    const path = query(req, 'path');
    const folder = path ? folderAtPath(version.data, path) : version.data;
    if (!folder) {
      throw notFound(`no folder at path '${path}' in directory ${version.uid}`);
    }
    sendResource(req, res, 200, folder, headersOf(req, version));
  };

  router.post('/ehr/:ehr_id/directory', async (req, res) => {
    const body = readRmBody(req, 'FOLDER');
    const version = await service.createDirectory(req.params.ehr_id, body, commitMetadata(req));
    sendCommitted(req, res, true, version.data ?? {}, headersOf(req, version));
  });

  router.put('/ehr/:ehr_id/directory', async (req, res) => {
    const preceding = ifMatch(req) as string;
    const body = readRmBody(req, 'FOLDER');
    const version = await withLatestLocation(
      () => service.updateDirectory(req.params.ehr_id, preceding, body, commitMetadata(req)),
      (latest) => directoryUrl(req, req.params.ehr_id, latest),
    );
    sendCommitted(req, res, false, version.data ?? {}, headersOf(req, version));
  });

  router.delete('/ehr/:ehr_id/directory', async (req, res) => {
    const preceding = ifMatch(req) as string;
    const version = await withLatestLocation(
      () => service.deleteVersioned(req.params.ehr_id, preceding, 'FOLDER', commitMetadata(req), 'precondition-failed'),
      (latest) => directoryUrl(req, req.params.ehr_id, latest),
    );
    sendNoContent(res, headersOf(req, version));
  });

  router.get('/ehr/:ehr_id/directory', async (req, res) => {
    const ehr = await service.getEhr(req.params.ehr_id);
    const directoryId = await service.directoryId(ehr.ehrId);
    const version = await service.versionOf(ehr.ehrId, directoryId, 'FOLDER', query(req, 'version_at_time'));
    sendFolder(req, res, version);
  });

  router.get('/ehr/:ehr_id/directory/:version_uid', async (req, res) => {
    const version = await service.versionByUid(req.params.ehr_id, req.params.version_uid, 'FOLDER');
    sendFolder(req, res, version);
  });

  return router;
}
