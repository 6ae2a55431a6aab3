/**
 * Templates (ITS-REST Release 1.0.3, Definition API, ADL 1.4): upload, list, the OPT as
 * XML or its web template, and an example composition in any composition format.
 */
import { Router, type Request } from 'express';
import { CdrError } from '@cdr/rm';
import type { JsonObject } from '@cdr/store';
import { exampleComposition } from '@cdr/template';
import { WEB_TEMPLATE_TYPE, baseUrl, bodyFormat, hasBody, prefersRepresentation } from '../http/negotiation.js';
import type { TemplateService } from '../services/template-service.js';
import { sendComposition } from './composition-format.js';

export function templateRoutes(templates: TemplateService, publicUrl: string | undefined): Router {
  const router = Router();
  const templateUrl = (req: Request, templateId: string) =>
    `${baseUrl(req, publicUrl)}/openehr/v1/definition/template/adl1.4/${encodeURIComponent(templateId)}`;

  router.post('/definition/template/adl1.4', async (req, res) => {
    if (!hasBody(req)) {
      throw new CdrError('bad-request', 'an operational template (OPT 1.4 XML) is required in the request body');
    }
    bodyFormat(req, ['xml']);
    const { record } = await templates.upload(typeof req.body === 'string' ? req.body : '');
    res.setHeader('Location', templateUrl(req, record.templateId));
    res.setHeader('ETag', `"${record.templateId}"`);
    if (prefersRepresentation(req)) {
      res.status(201).type('application/xml').send(record.opt);
      return;
    }
    res.status(201).end();
  });

  router.get('/definition/template/adl1.4', async (_req, res) => {
    const list = await templates.repository.list();
    res.json(
      list.map((t) => ({
        template_id: t.templateId,
        concept: t.concept,
        archetype_id: t.archetypeId,
        created_timestamp: t.uploadedAt,
      })),
    );
  });

  /** The OPT as uploaded (XML, the default) or its web template (JSON). */
  router.get('/definition/template/adl1.4/:template_id', async (req, res) => {
    const templateId = req.params.template_id;
    const chosen = req.get('accept') ? req.accepts(['application/xml', 'text/xml', WEB_TEMPLATE_TYPE, 'application/json']) : 'application/xml';
    if (!chosen) {
      throw new CdrError('not-acceptable', `template '${templateId}' is available as application/xml (the OPT) or ${WEB_TEMPLATE_TYPE} (its web template)`);
    }
    res.setHeader('ETag', `"${templateId}"`);
    if (chosen === WEB_TEMPLATE_TYPE || chosen === 'application/json') {
      const webTemplate = await templates.webTemplate(templateId);
      res.type(chosen).send(JSON.stringify(webTemplate));
      return;
    }
    const record = await templates.repository.get(templateId);
    if (!record) {
      throw new CdrError('not-found', `template '${templateId}' not found`);
    }
    res.type('application/xml').send(record.opt);
  });

  /** An example composition, valid against the template, in the format asked for (`format` or Accept). */
  router.get('/definition/template/adl1.4/:template_id/example', async (req, res) => {
    const templateId = req.params.template_id;
    const template = await templates.template(templateId);
    const example = exampleComposition(template) as JsonObject;
    await sendComposition(req, res, 200, example, templateId, {}, templates);
  });

  return router;
}
