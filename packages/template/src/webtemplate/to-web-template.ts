/**
 * `toWebTemplate`: the web template of an operational template.
 */
import { badRequest } from '@cdr/rm';
import type { OperationalTemplate } from '../opt/model.js';
import { TreeBuilder } from './build-tree.js';
import { idOf, pathOf, type DraftNode } from './draft-node.js';
import { finishInput } from './inputs.js';
import { WEB_TEMPLATE_VERSION, type WebTemplate, type WebTemplateNode } from './model.js';
import { simplify } from './simplify.js';

export interface WebTemplateOptions {
  /** Language of names and labels; the template's original language by default. */
  readonly defaultLanguage?: string;
}

function nonEmpty<T extends object>(value: T | undefined): value is T {
  return value !== undefined && Object.keys(value).length > 0;
}

function finish(node: DraftNode): WebTemplateNode {
  const children = node.children.map(finish);
  const inputs = node.inputs.map(finishInput);
  return {
    id: idOf(node),
    name: node.name,
    ...(node.localizedName !== undefined ? { localizedName: node.localizedName } : {}),
    rmType: node.rmType,
    ...(node.nodeId ? { nodeId: node.nodeId } : {}),
    min: node.min,
    max: node.max,
    ...(nonEmpty(node.localizedNames) ? { localizedNames: node.localizedNames } : {}),
    ...(nonEmpty(node.localizedDescriptions) ? { localizedDescriptions: node.localizedDescriptions } : {}),
    ...(nonEmpty(node.annotations) ? { annotations: node.annotations } : {}),
    aqlPath: pathOf(node),
    ...(inputs.length > 0 ? { inputs } : {}),
    ...(node.inContext ? { inContext: true } : {}),
    ...(nonEmpty(node.termBindings) ? { termBindings: node.termBindings } : {}),
    ...(node.proportionTypes && node.proportionTypes.length > 0 ? { proportionTypes: node.proportionTypes } : {}),
    ...(node.cardinalities.length > 0 ? { cardinalities: node.cardinalities } : {}),
    ...(children.length > 0 ? { children } : {}),
  };
}

export function toWebTemplate(template: OperationalTemplate, options: WebTemplateOptions = {}): WebTemplate {
  const language = options.defaultLanguage ?? template.language;
  if (!template.languages.includes(language)) {
    throw badRequest(`Template '${template.templateId}' has no language '${language}'; it has ${template.languages.join(', ')}`);
  }
  const draft = new TreeBuilder(template, language).build();
  const [tree] = simplify(draft);
  if (!tree) {
    throw new Error(`the web template of '${template.templateId}' has no root`);
  }
  return {
    templateId: template.templateId,
    version: WEB_TEMPLATE_VERSION,
    defaultLanguage: language,
    languages: [...template.languages],
    tree: finish(tree),
  };
}
