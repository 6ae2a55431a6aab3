/** The FHIR R4 API under /fhir: resources mapped from and onto openEHR compositions. */
import { Router } from 'express';
import type { AuditTrail } from '@cdr/store';
import type { AppDependencies } from '../app.js';
import type { TemplateService } from '../services/template-service.js';

export interface FhirDependencies extends AppDependencies {
  readonly templateService: TemplateService;
  readonly auditTrail: AuditTrail;
}

export function fhirRoutes(_deps: FhirDependencies): Router {
  return Router();
}
