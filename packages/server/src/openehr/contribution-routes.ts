/** CONTRIBUTION resources: several versions committed atomically (ITS-REST Release 1.0.3). */
import { Router, type Request } from 'express';
import { commitMetadata } from '../http/audit-headers.js';
import { baseUrl } from '../http/negotiation.js';
import type { EhrService } from '../services/ehr-service.js';
import { contributionResource } from './representations.js';
import { readRmBody, sendCommitted, sendResource } from './respond.js';

export function contributionRoutes(service: EhrService, publicUrl: string | undefined): Router {
  const router = Router();
  const contributionUrl = (req: Request, ehrId: string, uid: string) =>
    `${baseUrl(req, publicUrl)}/openehr/v1/ehr/${ehrId}/contribution/${uid}`;

  router.post('/ehr/:ehr_id/contribution', async (req, res) => {
    const body = readRmBody(req, 'CONTRIBUTION', { xml: false });
    const committed = await service.commitContribution(req.params.ehr_id, body, commitMetadata(req));
    const resource = contributionResource({
      ehrId: committed.ehrId,
      contributionId: committed.contributionId,
      systemId: '',
      timeCommitted: committed.timeCommitted,
      audit: committed.audit,
      versions: committed.versions.map((v) => ({ uid: v.uid, rmType: v.rmType })),
    });
    sendCommitted(req, res, true, resource, {
      etag: committed.contributionId,
      location: contributionUrl(req, committed.ehrId, committed.contributionId),
      lastModified: committed.timeCommitted,
    }, { xml: false });
  });

  router.get('/ehr/:ehr_id/contribution/:contribution_uid', async (req, res) => {
    const contribution = await service.getContribution(req.params.ehr_id, req.params.contribution_uid);
    sendResource(req, res, 200, contributionResource(contribution), {
      etag: contribution.contributionId,
      location: contributionUrl(req, contribution.ehrId, contribution.contributionId),
      lastModified: contribution.timeCommitted,
    }, { xml: false });
  });

  return router;
}
