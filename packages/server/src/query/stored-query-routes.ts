/**
 * Stored queries (ITS-REST Release 1.0.3, Definition API): store a query under a qualified
 * name (`[namespace::]name`) and a SEMVER version, list them, read one. A stored version
 * never changes (409); storing without a version takes the next patch version.
 */
import { Router, type Request } from 'express';
import { prepareAql } from '@cdr/aql';
import { CdrError, badRequest, notFound } from '@cdr/rm';
import type { SemVer, StoredQuery, StoredQueryRepository } from '@cdr/store';
import { baseUrl } from '../http/negotiation.js';

const NAME = /^(?:[a-zA-Z0-9_.-]+::)?[a-zA-Z0-9_.-]+$/;
const VERSION = /^(\d{1,9})(?:\.(\d{1,9})(?:\.(\d{1,9}))?)?$/;

export function checkQueryName(name: string): void {
  if (!NAME.test(name)) {
    throw badRequest(`'${name}' is not a qualified query name ([namespace::]name, of letters, digits, '_', '.' and '-')`);
  }
}

/** A version or version prefix: `1`, `1.2`, `1.2.3`. */
export function parseVersion(text: string): Partial<SemVer> {
  const match = VERSION.exec(text);
  if (!match) {
    throw badRequest(`'${text}' is not a SEMVER version (major.minor.patch, or a prefix of one)`);
  }
  const [, major, minor, patch] = match;
  return {
    major: Number(major),
    ...(minor !== undefined ? { minor: Number(minor) } : {}),
    ...(patch !== undefined ? { patch: Number(patch) } : {}),
  };
}

export async function findStoredQuery(repository: StoredQueryRepository, name: string, version: string | undefined): Promise<StoredQuery> {
  checkQueryName(name);
  const found = await repository.find(name, version === undefined ? {} : parseVersion(version));
  if (!found) {
    throw notFound(version === undefined ? `no stored query named '${name}'` : `no stored query named '${name}' at version ${version}`);
  }
  return found;
}

function queryText(req: Request): string {
  const body: unknown = req.body;
  const q = typeof body === 'string' ? body : body && typeof body === 'object' && !Array.isArray(body) ? (body as { q?: unknown }).q : undefined;
  if (typeof q !== 'string' || q.trim() === '') {
    throw badRequest('the AQL query is required as the request body (text/plain, or JSON with q)');
  }
  prepareAql(q);
  return q;
}

function queryType(req: Request): string {
  const type = req.query.query_type;
  if (type !== undefined && (typeof type !== 'string' || type.toUpperCase() !== 'AQL')) {
    throw badRequest(`query_type '${String(type)}' is not supported; only AQL`);
  }
  return 'AQL';
}

export function storedQueryRoutes(repository: StoredQueryRepository, publicUrl: string | undefined): Router {
  const router = Router();
  const location = (req: Request, query: StoredQuery) =>
    `${baseUrl(req, publicUrl)}/openehr/v1/definition/query/${encodeURIComponent(query.name)}/${query.version}`;

  router.put('/definition/query/:name', async (req, res) => {
    const name = req.params.name;
    checkQueryName(name);
    const type = queryType(req);
    const q = queryText(req);
    let saved = await repository.store(name, undefined, type, q);
    saved ??= await repository.store(name, undefined, type, q);
    if (!saved) {
      throw new CdrError('conflict', `query '${name}' was stored concurrently; try again`);
    }
    res.setHeader('Location', location(req, saved));
    res.status(200).json(saved);
  });

  router.put('/definition/query/:name/:version', async (req, res) => {
    const name = req.params.name;
    checkQueryName(name);
    const version = parseVersion(req.params.version);
    if (version.minor === undefined || version.patch === undefined) {
      throw badRequest(`a query is stored at a full version (major.minor.patch), not '${req.params.version}'`);
    }
    const type = queryType(req);
    const q = queryText(req);
    const saved = await repository.store(name, version as SemVer, type, q);
    if (!saved) {
      throw new CdrError('conflict', `query '${name}' already exists at version ${req.params.version}`);
    }
    res.setHeader('Location', location(req, saved));
    res.status(200).json(saved);
  });

  router.get('/definition/query/:name', async (req, res) => {
    res.json(await repository.list(req.params.name));
  });

  router.get('/definition/query/:name/:version', async (req, res) => {
    res.json(await findStoredQuery(repository, req.params.name, req.params.version));
  });

  return router;
}
