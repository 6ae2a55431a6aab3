/**
 * The express application: operations endpoints, the openEHR REST API under
 * /openehr/v1, and one error handler for everything.
 */
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AuditTrail, type Database, type Store, type TemplateRepository } from '@cdr/store';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/admin-routes.js';
import { fhirRoutes } from './fhir/routes.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { jsonMediaTypes, xmlMediaTypes } from './http/negotiation.js';
import { requestContext } from './http/request-context.js';
import { compositionRoutes } from './openehr/composition-routes.js';
import { contributionRoutes } from './openehr/contribution-routes.js';
import { directoryRoutes } from './openehr/directory-routes.js';
import { ehrRoutes } from './openehr/ehr-routes.js';
import { templateRoutes } from './openehr/template-routes.js';
import { Metrics, rememberMount } from './ops/metrics.js';
import { queryRoutes } from './query/routes.js';
import { auditTrail } from './security/audit.js';
import { authentication } from './security/authentication.js';
import { authorization } from './security/authorization.js';
import { rateLimit } from './security/rate-limit.js';
import { readSecurityConfig, type SecurityConfig } from './security/security-config.js';
import { smartConfiguration } from './security/smart-configuration.js';
import { ContentChecks } from './services/content-checks.js';
import { EhrService } from './services/ehr-service.js';
import { TemplateService } from './services/template-service.js';

export interface AppDependencies {
  readonly db: Database;
  readonly store: Store;
  readonly templates: TemplateRepository;
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly publicUrl?: string | undefined;
  /** False while the server is draining for shutdown: /ready then answers 503. */
  readonly isAccepting?: () => boolean;
  /** Authentication and limits; off (open, for loopback, no rate limit) when absent. */
  readonly security?: SecurityConfig;
  readonly metrics?: Metrics;
}

export function createApp(deps: AppDependencies): Express {
  // Without a configuration (tests, embedding): open, and without rate limits.
  const security = deps.security ?? readSecurityConfig({ CDR_AUTH: 'off', CDR_RATE_LIMIT_PER_MINUTE: '0' });
  const metrics = deps.metrics ?? new Metrics(deps.db);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(helmet());
  // The audit trail first, so that refusals (401, 403, 429) are recorded too.
  const trail = new AuditTrail(deps.db);
  app.use(auditTrail(trail, { written: (result) => metrics.auditWrites.inc({ result }) }));
  app.use(metrics.requestTimer());

  app.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'up' });
  });
  app.get('/ready', async (_req: Request, res: Response) => {
    const accepting = deps.isAccepting?.() ?? true;
    const database = await deps.db.ping();
    res.status(accepting && database ? 200 : 503).json({ status: accepting && database ? 'ready' : 'unavailable', database: database ? 'up' : 'down' });
  });
  app.get('/metrics', metrics.handler());
  app.get('/.well-known/smart-configuration', smartConfiguration(security));

  app.use(authentication(security));
  app.use(rateLimit({ perMinute: security.rateLimitPerMinute, burst: security.rateLimitBurst }));

  const templates = new TemplateService(deps.templates);
  const service = new EhrService(deps.store, new ContentChecks(templates), (version) =>
    metrics.commits.inc({ rm_type: version.rmType, change_type: version.changeType }),
  );
  const openehr = express.Router();
  openehr.use(rememberMount());
  openehr.use(express.json({ type: jsonMediaTypes, limit: deps.bodyLimitBytes, strict: false }));
  openehr.use(express.text({ type: xmlMediaTypes, limit: deps.bodyLimitBytes }));
  openehr.use(authorization());
  openehr.use(ehrRoutes(service, deps.publicUrl));
  openehr.use(compositionRoutes(service, templates, deps.publicUrl));
  openehr.use(directoryRoutes(service, deps.publicUrl));
  openehr.use(contributionRoutes(service, deps.publicUrl));
  openehr.use(templateRoutes(templates, deps.publicUrl));
  openehr.use(queryRoutes(deps));
  app.use('/openehr/v1', openehr);

  const admin = express.Router();
  admin.use(rememberMount());
  admin.use(authorization());
  admin.use(adminRoutes(trail));
  app.use('/admin', admin);

  const fhir = express.Router();
  fhir.use(rememberMount());
  fhir.use(express.json({ type: ['application/fhir+json', 'application/json', 'application/json+fhir'], limit: deps.bodyLimitBytes }));
  fhir.use(authorization());
  fhir.use(fhirRoutes({ ...deps, templateService: templates, auditTrail: trail, metrics }));
  app.use('/fhir', fhir);

  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
