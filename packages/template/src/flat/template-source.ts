/** Functions that take "a template" accept the parsed OPT or its web template. */
import type { OperationalTemplate } from '../opt/model.js';
import type { WebTemplate } from '../webtemplate/model.js';
import { toWebTemplate } from '../webtemplate/to-web-template.js';

export type TemplateSource = OperationalTemplate | WebTemplate;

const webTemplates = new WeakMap<OperationalTemplate, WebTemplate>();

export function isWebTemplate(source: TemplateSource): source is WebTemplate {
  return 'tree' in source;
}

/** The web template of a source (computed once per parsed template), and the OPT when there is one. */
export function webTemplateOf(source: TemplateSource): { template?: OperationalTemplate; webTemplate: WebTemplate } {
  if (isWebTemplate(source)) {
    return { webTemplate: source };
  }
  let webTemplate = webTemplates.get(source);
  if (!webTemplate) {
    webTemplate = toWebTemplate(source);
    webTemplates.set(source, webTemplate);
  }
  return { template: source, webTemplate };
}
