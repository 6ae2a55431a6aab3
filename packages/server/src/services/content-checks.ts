/**
 * Checks of incoming versioned content before it is committed: RM-level checks for
 * every object, and for compositions a stored template (and, once templates are parsed,
 * validation against it). Each check throws a CdrError listing every problem found.
 */
import { CdrError, checkRmObject, withExplicitTypes, type Issue } from '@cdr/rm';
import type { JsonObject, VersionedType } from '@cdr/store';

export interface CheckedContent {
  readonly data: JsonObject;
  readonly templateId?: string;
  readonly archetypeNodeId?: string;
}

/** The stored templates, as the checks need them. */
export interface TemplateValidator {
  exists(templateId: string): Promise<boolean>;
  /** Every way the composition breaks its template (empty when it conforms). */
  validate(templateId: string, composition: JsonObject): Promise<readonly Issue[]>;
}

export class ContentChecks {
  constructor(private readonly templates: TemplateValidator) {}

  /** Checks an object of the given top-level type; `where` prefixes issue paths in contributions. */
  async check(rmType: VersionedType, value: unknown, where = ''): Promise<CheckedContent> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CdrError('bad-request', `${where}the body must be a ${rmType} object in canonical JSON`);
    }
    const data = value as JsonObject;
    const declared = data._type;
    if (declared !== undefined && declared !== rmType) {
      throw new CdrError('bad-request', `${where}expected a ${rmType}, got _type '${String(declared)}'`);
    }
    const issues = checkRmObject(data, rmType);
    if (issues.length > 0) {
      throw new CdrError('unprocessable', `${where}the ${rmType} is not valid: ${issues.length} problem(s) found`, {
        issues: prefixed(issues, where),
      });
    }
    const archetypeNodeId = typeof data.archetype_node_id === 'string' ? data.archetype_node_id : undefined;
    // Stored with every `_type` explicit, so that readers and queries never infer types.
    const typed = withExplicitTypes(data, rmType) as JsonObject;
    if (rmType !== 'COMPOSITION') {
      return { data: typed, ...(archetypeNodeId ? { archetypeNodeId } : {}) };
    }
    const templateId = templateIdOf(data);
    if (!templateId) {
      throw new CdrError('unprocessable', `${where}the COMPOSITION names no template`, {
        issues: prefixed([{ path: '/archetype_details/template_id', message: 'a template id is required to validate the composition' }], where),
      });
    }
    if (!(await this.templates.exists(templateId))) {
      throw new CdrError('unprocessable', `${where}the template '${templateId}' of the COMPOSITION is not stored on this server`, {
        issues: prefixed([{ path: '/archetype_details/template_id/value', message: `unknown template '${templateId}'` }], where),
      });
    }
    const problems = await this.templates.validate(templateId, typed);
    if (problems.length > 0) {
      throw new CdrError('unprocessable', `${where}the COMPOSITION does not conform to template '${templateId}': ${problems.length} problem(s) found`, {
        issues: prefixed(problems, where),
      });
    }
    return { data: typed, templateId, ...(archetypeNodeId ? { archetypeNodeId } : {}) };
  }
}

export function templateIdOf(composition: JsonObject): string | undefined {
  const details = composition.archetype_details as JsonObject | undefined;
  const templateId = details?.template_id as JsonObject | undefined;
  return typeof templateId?.value === 'string' && templateId.value.length > 0 ? templateId.value : undefined;
}

function prefixed(issues: readonly Issue[], where: string): Issue[] {
  return where ? issues.map((i) => ({ path: `${where.replace(/: $/, '')}${i.path}`, message: i.message })) : [...issues];
}
