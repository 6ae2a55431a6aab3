/** The AQL query API (ITS-REST Release 1.0.3, Query API) and stored queries (Definition API). */
import express, { Router, type Request, type Response } from 'express';
import { badRequest } from '@cdr/rm';
import { StoredQueryRepository } from '@cdr/store';
import type { AppDependencies } from '../app.js';
import { baseUrl } from '../http/negotiation.js';
import { AqlService, resultSetEtag, type AqlRequest } from './aql-service.js';
import { fromBody, fromUrl, type ExecutionInputs } from './request.js';
import { aqlSettings } from './settings.js';
import { storedQueryRoutes, findStoredQuery } from './stored-query-routes.js';

export function queryRoutes(deps: AppDependencies): Router {
  const router = Router();
  const service = new AqlService(deps.db, deps.store.systemId, aqlSettings(), deps.logger);
  const repository = new StoredQueryRepository(deps.db);
  const href = (req: Request) => `${baseUrl(req, deps.publicUrl)}/openehr/v1${req.path}`;

  const run = async (res: Response, request: AqlRequest): Promise<void> => {
    const result = await service.execute(request);
    res.setHeader('ETag', resultSetEtag(result));
    res.status(200).json(result);
  };

  const request = (q: unknown, inputs: ExecutionInputs, extra: Partial<AqlRequest> = {}): AqlRequest => {
    if (typeof q !== 'string' || q.trim() === '') {
      throw badRequest('q (the AQL query) is required');
    }
    return { q, ...inputs, ...extra };
  };

  router.get('/query/aql', async (req, res) => {
    const q = req.query.q;
    if (Array.isArray(q)) {
      throw badRequest('q is given more than once');
    }
    await run(res, request(q, fromUrl(req), { href: href(req) }));
  });

  router.post('/query/aql', async (req, res) => {
    const { q, ...inputs } = fromBody(req);
    await run(res, request(q, inputs));
  });

  const stored = async (req: Request, res: Response, inputs: ExecutionInputs, withHref: boolean): Promise<void> => {
    const name = String(req.params.name);
    const version = req.params.version;
    const query = await findStoredQuery(repository, name, typeof version === 'string' ? version : undefined);
    await run(res, request(query.q, inputs, { name: query.name, ...(withHref ? { href: href(req) } : {}) }));
  };
  router.get(['/query/:name', '/query/:name/:version'], (req, res) => stored(req, res, fromUrl(req), true));
  router.post(['/query/:name', '/query/:name/:version'], (req, res) => {
    const { q: _ignored, ...inputs } = fromBody(req);
    return stored(req, res, inputs, false);
  });

  router.use('/definition/query', express.text({ type: ['text/plain', 'application/aql'], limit: deps.bodyLimitBytes }));
  router.use(storedQueryRoutes(repository, deps.publicUrl));
  return router;
}
