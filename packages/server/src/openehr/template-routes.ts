/** Template storage: OPT 1.4 upload, list and retrieval (ITS-REST Release 1.0.3, Definition API). */
import { Router, type Request } from 'express';
import { CdrError, notFound } from '@cdr/rm';
import type { TemplateRepository } from '@cdr/store';
import { parseOpt } from '@cdr/template';
import { baseUrl, bodyFormat, hasBody, prefersRepresentation } from '../http/negotiation.js';

export function templateRoutes(templates: TemplateRepository, publicUrl: string | undefined): Router {
  const router = Router();
  const templateUrl = (req: Request, templateId: string) =>
    `${baseUrl(req, publicUrl)}/openehr/v1/definition/template/adl1.4/${encodeURIComponent(templateId)}`;

  router.post('/definition/template/adl1.4', async (req, res) => {
    if (!hasBody(req)) {
      throw new CdrError('bad-request', 'an operational template (OPT 1.4 XML) is required in the request body');
    }
    bodyFormat(req, ['xml']);
    const opt = typeof req.body === 'string' ? req.body : '';
    const template = parseOpt(opt);
    const { record } = await templates.save({
      templateId: template.templateId,
      opt,
      concept: template.concept,
      archetypeId: template.definition.archetypeId,
    });
    res.setHeader('Location', templateUrl(req, record.templateId));
    res.setHeader('ETag', `"${record.templateId}"`);
    if (prefersRepresentation(req)) {
      res.status(201).type('application/xml').send(record.opt);
      return;
    }
    res.status(201).end();
  });

  router.get('/definition/template/adl1.4', async (_req, res) => {
    const list = await templates.list();
    res.json(
      list.map((t) => ({
        template_id: t.templateId,
        concept: t.concept,
        archetype_id: t.archetypeId,
        created_timestamp: t.uploadedAt,
      })),
    );
  });

  router.get('/definition/template/adl1.4/:template_id', async (req, res) => {
    const record = await templates.get(req.params.template_id);
    if (!record) {
      throw notFound(`template '${req.params.template_id}' not found`);
    }
    const chosen = req.get('accept') ? req.accepts(['application/xml', 'text/xml']) : 'application/xml';
    if (!chosen) {
      throw new CdrError('not-acceptable', `template '${record.templateId}' is available as application/xml`);
    }
    res.setHeader('ETag', `"${record.templateId}"`);
    res.type('application/xml').send(record.opt);
  });

  return router;
}
